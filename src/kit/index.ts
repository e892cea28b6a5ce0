// wsmock/kit: the public seam protocol kits are written on. The built-in kits
// (src/kits/) import only this folder and src/util/; so can yours.
//
// Everything here is @beta: the seam may still grow as more kits are written
// on it.

// Defining a kit
export { defineKit, KIT_ENDPOINT_FIELDS } from './defineKit.js';
export type {
  KitCompileContext,
  KitConfigOf,
  KitConnect,
  KitConnectionHandle,
  KitDefinition,
  KitEndpointField,
  KitMockClass,
  KitMockHandle,
} from './defineKit.js';
export { isKit } from './Kit.js';
export type { Kit, ConfigOfKit, ConnectionOfKit, MockOfKit } from './Kit.js';
export type { KitContext, KitHost } from './context.js';

// The handles
export { KitMock, PlainKitMock } from './KitMock.js';
export { KitConnection } from './KitConnection.js';
export type { KitCloseListener, KitMessageListener } from './KitConnection.js';

// The zod a kit's schema is written with (the one wsmock validates with)
export { z } from 'zod';

// ---- Advanced: what the built-in kits are written with ----

// Connections: the handle, its frames, and a kit's own connection class (SSE)
export { Connection } from '../connections/Connection.js';
export type { ConnectionControl, ConnectionFactory, ConnectionRequest, HandleInit } from '../connections/Connection.js';
export type { ConnectionDetails } from '../connections/contracts.js';
export type { OutboundFrame, SharedTextFrame } from '../connections/encode.js';
export { sharedTextFrame } from '../connections/encode.js';
export type { FrameMessage, Message } from '../connections/Message.js';
export type { ReadDirection } from '../connections/Journal.js';
export type { CloseInfo, CloseOptions, SendData, SendOptions, WaitOptions } from '../connections/types.js';
export { deliver, randomOf } from './frames.js';
export { handleBrand, type HandleBrand } from './brand.js';
export { allowCrossOrigin, type CrossOriginOptions } from './cors.js';
export { LongPollTransport, type LongPollOptions } from './longPoll.js';
export type { SeededRandom } from '../util/random.js';

// Race-free waits for what a kit hands out (sockets, operations, calls)
export { Arrivals } from '../connections/Arrivals.js';
export type { ArrivalsOptions, NextOptions } from '../connections/Arrivals.js';
export { ConnectionArrivals } from '../connections/ConnectionArrivals.js';
export { compileArrivalFilter } from '../connections/arrivalFilter.js';
export type { ArrivalFilter, ArrivalFilterOptions } from '../connections/arrivalFilter.js';
export type { ConnectionGroup, WaitForConnectionOptions } from '../connections/ConnectionGroup.js';
export { Waiters } from '../connections/waitFor.js';
export type { WaitRegistry, WaitSpec } from '../connections/waitFor.js';
export type { TranscriptOptions } from '../connections/transcript.js';

// Stages and transports
export type { InboundFrame, OutboundResult, Stage } from '../pipeline/stage.js';
export type { ConnectTransport, KitEndpointConfig, KitTransport } from '../mocks/compile.js';
export type { ClosedBy, Transport, TransportSink } from '../transport/types.js';

// Mocks and envelopes
export { Mock } from '../mocks/Mock.js';
export type { MockConfigBase } from '../mocks/Mock.js';
export type { EnvelopeIdentity, HandshakeConfig, HandshakeHooks, KitEnvelope, KitEnvelopeOf, SubprotocolSelector, WebSocketEndpointFields } from '../mocks/types.js';
// A handshake as a kit's transport decides it (KitTransport.verify: Engine.IO's session check)
export type { HandshakeRefusal, HandshakeRequest, HandshakeVerifier } from '../mocks/types.js';

// Schema pieces: durations, in-process functions, templates checked where they enter
export { duration, fn, orFunction, positiveInt } from '../mocks/schema.js';
export { checkJsonTemplates } from '../behaviour/jsonTemplates.js';
export type { TemplateProblem } from '../behaviour/jsonTemplates.js';
export type { MustacheScope } from '../behaviour/mustache.js';
export { checkTemplate, compileTemplate, RenderContext, walk } from '../behaviour/templates.js';
export type { Template, TemplateScope } from '../behaviour/templates.js';
export { compileValueTemplate } from '../behaviour/valueTemplates.js';
export type { ValueTemplate } from '../behaviour/valueTemplates.js';
export { compileResponse } from '../behaviour/responses.js';
export type { CompiledResponse, CompileResponseOptions, OutgoingFrame } from '../behaviour/responses.js';

// Errors
export { WsMockError, WsMockErrorCode, connectionClosed, invalidArgument, invalidConfig } from '../errors.js';
export type { ClosedWith, ConfigIssue } from '../errors.js';

// The public types the seam's signatures name (the same as wsmock's own).
// Mock.toJSON() names the WebSocket envelope, so its config types come along.
export type { MatchSpec } from '../behaviour/types.js';
export type { ContractConfig, ContractReplyOverride } from '../asyncapi/config.js';
export type { AsyncApiContract, ContractChannel, ContractError, ContractMessage, ContractOperation, ContractReply, ContractServer, ContractWarning, ContractWsBinding, JsonSchema, SkippedChannel } from '../asyncapi/model.js';
export type { ContractMode, ContractViolation } from '../asyncapi/types.js';
export type { ChaosClose, ChaosDelay, ChaosDisconnect, ChaosDisconnectMode, ChaosJitter, ChaosOptions, ChaosRefuse, ChaosReorder } from '../chaos/types.js';
export type { MatchPredicate } from '../connections/Connection.js';
export type { GroupHost } from '../connections/ConnectionGroup.js';
export type { BroadcastExcept } from '../connections/ConnectionManager.js';
export type { MessageDirection } from '../connections/Message.js';
export type { ChaosFault, ChaosFaultKind, ConnectionEvents, ConnectionInfo, ScenarioInfo } from '../connections/types.js';
export type { WsMockErrorOptions } from '../errors.js';
export type { UpdateOptions } from '../mocks/Mock.js';
export type { CloseStep, DelayStep, HeartbeatConfig, MatcherConfig, MockEnvelope, MockType, ReplayConfig, ReplayMatch, RespondFunction, RespondResult, ResponseSpec, ScenarioConfig, ScenarioStep, SendStep, WaitStep, WebSocketEnvelope, WebSocketMockFields } from '../mocks/types.js';
export type { Upstream } from '../proxy/Upstream.js';
export type { ProxyConfig, UpstreamDropClose } from '../proxy/types.js';
export type { RECORDING_FORMAT, RecordedClose, RecordedConnection, RecordedDirection, RecordedFrame, RecordingFile } from '../record/format.js';
export type { ReplaySpeed, ReplayTiming } from '../record/timeline.js';
export type { ConnectionType } from '../transport/types.js';
export type { Duration } from '../util/duration.js';

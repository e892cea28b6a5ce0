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
  KitEndpointConfig,
  KitEndpointField,
  KitMockClass,
  KitMockHandle,
} from './defineKit.js';
export { isKit } from './Kit.js';
export type { Kit, ConfigOfKit, ConnectionOfKit, MockOfKit } from './Kit.js';
export type { KitContext, KitHost } from './context.js';

// The handles
export { KitMock } from './KitMock.js';
export { KitConnection } from './KitConnection.js';
export type { KitCloseListener, KitMessageListener } from './KitConnection.js';

// The zod a kit's schema is written with (the one wsmock validates with)
export { z } from 'zod';

// ---- Advanced: what the built-in kits are written with (Socket.IO, GraphQL) ----
// A kit with its own protocol state works on wsmock's connections directly:
// their frames, waits and arrivals, the stages of its pipeline, a transport of
// its own, the config building blocks and the error catalogue. Each is the
// same value wsmock uses itself.

// Connections and their frames
export type { Connection, OutboundFrame } from '../connections/Connection.js';
export { deliver, randomOf } from '../connections/Connection.js';
export type { Message } from '../connections/Message.js';
export type { CloseInfo, CloseOptions, SendData, SendOptions, WaitOptions } from '../connections/types.js';
export type { SeededRandom } from '../util/random.js';

// Race-free waits: arrivals per mock and per connection
export { Arrivals } from '../connections/Arrivals.js';
export type { ArrivalsOptions, NextOptions } from '../connections/Arrivals.js';
export { ConnectionArrivals } from '../connections/ConnectionArrivals.js';
export type { ConnectionGroup, WaitForConnectionOptions } from '../connections/ConnectionGroup.js';
export { Waiters } from '../connections/waitFor.js';

// The pipeline and the carrier
export type { InboundFrame, OutboundResult, Stage } from '../pipeline/stage.js';
export type { ConnectTransport, KitTransport } from '../mocks/compile.js';
export type { ClosedBy, Transport, TransportSink } from '../transport/types.js';
export type { HandshakeRefusal, HandshakeRequest, HandshakeVerifier, KitEnvelopeOf } from '../mocks/types.js';
export type { MockConfigBase } from '../mocks/Mock.js';

// Config building blocks (zod schemas with wsmock's rules and messages)
export { duration, fn, orFunction, positiveInt } from '../mocks/schema.js';
export { checkJsonTemplates } from '../behaviour/jsonTemplates.js';
export { RenderContext, walk } from '../behaviour/templates.js';
export type { TemplateScope } from '../behaviour/templates.js';
export { compileValueTemplate } from '../behaviour/valueTemplates.js';
export type { ValueTemplate } from '../behaviour/valueTemplates.js';

// Errors
export { WsMockError, WsMockErrorCode, invalidArgument } from '../errors.js';

// wsmock: a real WebSocket mock server for Node test suites.

// Server
export { createMockServer } from './createMockServer.js';
export { MockServer } from './server/MockServer.js';
export type { MockServerEvents, ConnectionFilter, ConnectionsApi, MocksApi, ErrorContext, ServerState } from './server/MockServer.js';
export type { KitFactories } from './server/KitFactories.js';
export type { ContractMethods } from './server/ContractMethods.js';
export type { JournalOptions, ServerOptions } from './server/options.js';
export type { TlsInfo, TlsOptions } from './server/tls.js';
export type { Stats, TypeStats, UpstreamStats } from './server/stats.js';
export type { RejectionInfo } from './server/upgrade.js';

// Seeded chaos
export type {
  ChaosClose,
  ChaosDelay,
  ChaosDisconnect,
  ChaosDisconnectMode,
  ChaosEvent,
  ChaosFault,
  ChaosFaultKind,
  ChaosJitter,
  ChaosOptions,
  ChaosRefuse,
  ChaosReorder,
} from './chaos/types.js';

// Record and replay
export { loadRecording } from './record/load.js';
export type { LoadRecordingOptions } from './record/load.js';
export { Recording } from './record/Recording.js';
export type { RecordingFrame } from './record/Recording.js';
export { RECORDING_FORMAT, recordingSchema } from './record/format.js';
export type { RecordingFile, RecordedConnection, RecordedFrame, RecordedClose, RecordedDirection } from './record/format.js';
export type { ReplayConfig, ReplayMatch, ReplayOptions, ReplayTiming } from './mocks/types.js';
export type { ReplaySpeed } from './record/timeline.js';
export { recordingToConfig } from './record/toConfig.js';
export type { RecordingToConfigOptions } from './record/toConfig.js';

// Admin adapter
export { createAdminHandler } from './admin/handler.js';
export type { AdminHandler } from './admin/handler.js';
export type { AdminTarget, AdminTargetEvents } from './admin/target.js';
export type { AdminHandlerOptions, AdminListenOptions } from './admin/options.js';

// Remote handles: a server in another process, driven over its admin API
export { connectMockServer } from './remote/connectMockServer.js';
export type { ConnectMockServerOptions } from './remote/connectMockServer.js';
export { RemoteMockServer } from './remote/RemoteMockServer.js';
export type { RemoteMocksApi, RemoteConnectionsApi, RemoteMockConfig, RemoteServerVersion } from './remote/RemoteMockServer.js';
export { RemoteMock } from './remote/RemoteMock.js';
export type { RemoteWaitForConnectionOptions, ListedMock } from './remote/RemoteMock.js';
export { RemoteConnection } from './remote/RemoteConnection.js';
export type { RemoteConnectionInit, RemotePredicate } from './remote/RemoteConnection.js';
export type { RemoteSendData } from './remote/wire.js';

// Mocks
export { Mock } from './mocks/Mock.js';
export type { MockConfigBase, UpdateOptions } from './mocks/Mock.js';
export { WebSocketMock } from './mocks/WebSocketMock.js';
export type { BroadcastExcept, WaitForConnectionOptions } from './mocks/WebSocketMock.js';
export type { ArrivalFilterOptions } from './connections/arrivalFilter.js';
export type {
  WebSocketMockConfig,
  WebSocketMockFields,
  WebSocketEndpointFields,
  MockEnvelope,
  MockType,
  EnvelopeIdentity,
  WebSocketEnvelope,
  KitEnvelope,
  KitEnvelopeOf,
  MatchSpec,
  MatchPredicate,
  MatcherConfig,
  ResponseSpec,
  RespondFunction,
  RespondResult,
  ScenarioConfig,
  ScenarioStep,
  SendStep,
  WaitStep,
  DelayStep,
  CloseStep,
  HeartbeatConfig,
  HandshakeConfig,
  HandshakeHooks,
  HandshakeRequest,
  HandshakeRefusal,
  HandshakeVerifier,
  SubprotocolSelector,
  ConnectionHandler,
  UpstreamMessageHandler,
  UpstreamMessageResult,
} from './mocks/types.js';
export { envelopeToConfig } from './mocks/envelope.js';
export { validateEnvelope } from './serverKinds.js';

// Kits: the types naming a kit and its handles (a kit is written with wsmock/kit)
export type { Kit, ConfigOfKit, ConnectionOfKit, MockOfKit } from './kit/Kit.js';
export { KitMock } from './kit/KitMock.js';
export { KitConnection } from './kit/KitConnection.js';
export type { KitCloseListener, KitMessageListener } from './kit/KitConnection.js';
export type { ConnectionGroup, GroupHost } from './connections/ConnectionGroup.js';
export type { Waiters, WaitRegistry, WaitSpec } from './connections/waitFor.js';

// Socket.IO kit
export { SocketIoMock, SocketIoNamespace } from './kits/socketio/SocketIoMock.js';
export type { WaitForNamespaceSocketOptions, WaitForSocketOptions } from './kits/socketio/SocketIoMock.js';
export { SocketIoSocket } from './kits/socketio/SocketIoSocket.js';
export type { SocketIoEvent, SocketIoAckEmitter, WaitForEventOptions } from './kits/socketio/SocketIoSocket.js';
export { SocketIoBroadcast } from './kits/socketio/SocketIoBroadcast.js';
export { ack } from './kits/socketio/ack.js';
export type { SocketIoAck } from './kits/socketio/ack.js';
export type {
  SocketIoMockConfig,
  SocketIoMockFields,
  SocketIoNamespaceConfig,
  SocketIoNamespaceFields,
  SocketIoEventReply,
  SocketIoEventFunction,
  SocketIoConnectHook,
  SocketIoRefusal,
  SocketIoRecoveryOptions,
} from './kits/socketio/config.js';
export type { SocketIoEnvelope } from './kits/socketio/fields.js';

// GraphQL over WebSocket kit
export { GraphQLMock } from './kits/graphql/GraphQLMock.js';
export type { WaitForOperationOptions, WaitForGraphQLConnectionOptions } from './kits/graphql/GraphQLMock.js';
export { GraphQLConnection } from './kits/graphql/GraphQLConnection.js';
export { GraphQLOperation } from './kits/graphql/GraphQLOperation.js';
export type { OperationEnd, WaitForCompleteOptions } from './kits/graphql/GraphQLOperation.js';
export type { GraphQLMockConfig, ConnectionInitHandler, OperationHandler, OperationHandlerResult } from './kits/graphql/types.js';
export type { GraphQLEnvelope, GraphQLMockFields, ConnectionInitSpec, OperationSpec } from './kits/graphql/fields.js';
export type { GraphQLProtocol, ExecutionResult, GraphQLFormattedError, SourceLocation } from './kits/graphql/protocol.js';
export type { OperationType } from './kits/graphql/document.js';

// JSON-RPC 2.0 kit
export { JsonRpcMock } from './kits/jsonrpc/JsonRpcMock.js';
export { JsonRpcConnection } from './kits/jsonrpc/JsonRpcConnection.js';
export type { JsonRpcCallFilter, JsonRpcCallOptions, WaitForCallOptions } from './kits/jsonrpc/JsonRpcConnection.js';
export { JsonRpcCall } from './kits/jsonrpc/JsonRpcCall.js';
export type { JsonRpcCallStatus } from './kits/jsonrpc/JsonRpcCall.js';
export { JsonRpcError } from './kits/jsonrpc/JsonRpcError.js';
export { JsonRpcErrorCode } from './kits/jsonrpc/protocol.js';
export type { JsonRpcErrorObject, JsonRpcId, JsonRpcOutcome, JsonRpcParams } from './kits/jsonrpc/protocol.js';
export type { JsonRpcEnvelope, JsonRpcHandler, JsonRpcMethodSpec, JsonRpcMockConfig, JsonRpcMockFields, UnknownMethods } from './kits/jsonrpc/types.js';

// Server-Sent Events kit
export { SseMock } from './kits/sse/SseMock.js';
export { SseConnection } from './kits/sse/SseConnection.js';
export type { SseEnvelope, SseEventInit, SseEventSpec, SseMockConfig, SseMockFields, SseSentEvent } from './kits/sse/types.js';
export type { SseStats } from './admin/sseRoutes.js';

// Pusher Channels kit (protocol 7: Pusher, Laravel Echo / Reverb)
export { PusherMock } from './kits/pusher/PusherMock.js';
export type { PusherClientOptions, PusherTriggerOptions } from './kits/pusher/PusherMock.js';
export { PusherConnection } from './kits/pusher/PusherConnection.js';
export type { PusherClientEvent, PusherClientEventWaitOptions, PusherErrorOptions, PusherSubscription, PusherWaitOptions } from './kits/pusher/PusherConnection.js';
export { PusherErrorCode } from './kits/pusher/protocol.js';
export type { PusherAuthorize, PusherAuthRequest, PusherChannelSpec, PusherEnvelope, PusherMember, PusherMockConfig, PusherMockFields, PusherRefusal, PusherReply } from './kits/pusher/types.js';
// Phoenix Channels kit
export { PhoenixMock } from './kits/phoenix/PhoenixMock.js';
export { PhoenixSocket } from './kits/phoenix/PhoenixSocket.js';
export type { PhoenixJoinFilter, WaitForJoinOptions } from './kits/phoenix/PhoenixSocket.js';
export { PhoenixChannel } from './kits/phoenix/PhoenixChannel.js';
export type { PhoenixChannelStatus, PhoenixPushFilter, WaitForPushOptions } from './kits/phoenix/PhoenixChannel.js';
export { PhoenixPush } from './kits/phoenix/PhoenixPush.js';
export type { PhoenixReply } from './kits/phoenix/PhoenixPush.js';
export { PhoenixPresence } from './kits/phoenix/PhoenixPresence.js';
export type { PresenceMeta, PresenceState } from './kits/phoenix/PhoenixPresence.js';
export type { PhoenixTransportName } from './kits/phoenix/session.js';
export type { PhoenixVsn } from './kits/phoenix/serializer.js';
export type {
  PhoenixChannelConfig,
  PhoenixChannelSpec,
  PhoenixEnvelope,
  PhoenixEventHandler,
  PhoenixEventSpec,
  PhoenixJoinHandler,
  PhoenixJoinSpec,
  PhoenixLongPollConfig,
  PhoenixMockConfig,
  PhoenixMockFields,
  PhoenixReplySpec,
} from './kits/phoenix/types.js';

// Supabase Realtime kit (a flavour of the Phoenix Channels kit)
export { SupabaseMock } from './kits/phoenix/supabase/SupabaseMock.js';
export { SupabaseChannel } from './kits/phoenix/supabase/SupabaseChannel.js';
export type { SupabaseBroadcastConfig, SupabaseJoinConfig, SupabasePresenceConfig, PostgresChangesEntry } from './kits/phoenix/supabase/joinConfig.js';
export type { PostgresChangeInit, PostgresColumn } from './kits/phoenix/supabase/changes.js';
export type { PostgresChangeEvent } from './kits/phoenix/supabase/subscriptions.js';
export type { SupabaseEnvelope, SupabaseJoinRule, SupabaseMockConfig, SupabaseMockFields } from './kits/phoenix/supabase/types.js';

// MQTT over WebSocket kit (3.1.1 and 5)
export { MqttMock } from './kits/mqtt/MqttMock.js';
export { MqttConnection } from './kits/mqtt/MqttConnection.js';
export type { MqttPublishOptions, MqttWaitOptions, MqttWill } from './kits/mqtt/MqttConnection.js';
export { MqttPublish } from './kits/mqtt/messages.js';
export type { MqttRetained, MqttSubscription } from './kits/mqtt/messages.js';
export { RetainedStore } from './kits/mqtt/RetainedStore.js';
export { ConnackCode, MqttReasonCode } from './kits/mqtt/protocol.js';
export type {
  MqttAuthFunction,
  MqttAuthSpec,
  MqttEnvelope,
  MqttMockConfig,
  MqttMockFields,
  MqttPayloadInput,
  MqttPublishProperties,
  MqttQoS,
  MqttReplySpec,
  MqttRetainedSpec,
  MqttTopicHandler,
  MqttTopicSpec,
  MqttUserProperties,
} from './kits/mqtt/types.js';

// ActionCable kit
export { ActionCableMock } from './kits/actioncable/ActionCableMock.js';
export { ActionCableConnection } from './kits/actioncable/ActionCableConnection.js';
export type { ActionCableDisconnectOptions, ActionCableSubscriptionFilter } from './kits/actioncable/ActionCableConnection.js';
export { ActionCableSubscription } from './kits/actioncable/ActionCableSubscription.js';
export type { ActionCableWaitOptions } from './kits/actioncable/ActionCableSubscription.js';
export type { ActionCableAction, ActionCableSubscriptionStatus } from './kits/actioncable/subscription.js';
export type { ActionCableIgnored } from './kits/actioncable/session.js';
export type { ActionCableDisconnectReason, ActionCableParams } from './kits/actioncable/protocol.js';
export type {
  ActionCableActionHandler,
  ActionCableActionSpec,
  ActionCableChannelConfig,
  ActionCableChannelSpec,
  ActionCableEnvelope,
  ActionCableMockConfig,
  ActionCableMockFields,
  ActionCableSubscribeMode,
} from './kits/actioncable/types.js';

// STOMP kit (with SockJS)
export { StompMock } from './kits/stomp/StompMock.js';
export { StompConnection } from './kits/stomp/StompConnection.js';
export type { StompSend } from './kits/stomp/StompSend.js';
export type { StompAck, StompAckMode, StompSubscription } from './kits/stomp/session.js';
export type { StompDestinationFilter, StompWaitOptions } from './kits/stomp/filters.js';
export type { StompVersion } from './kits/stomp/frame.js';
export type {
  StompConnectAnswer,
  StompConnectHook,
  StompDestinationHandler,
  StompDestinationSpec,
  StompEnvelope,
  StompHeartBeat,
  StompMockConfig,
  StompMockFields,
  StompReplySpec,
  StompSockJsOptions,
} from './kits/stomp/types.js';
// SignalR kit (ASP.NET Core hubs: negotiate, WebSockets, JSON and MessagePack hub protocols)
export { SignalRMock } from './kits/signalr/SignalRMock.js';
export type { SignalRClients, SignalRGroup } from './kits/signalr/SignalRMock.js';
export { SignalRConnection } from './kits/signalr/SignalRConnection.js';
export { SignalRInvocation } from './kits/signalr/SignalRConnection.js';
export type { SignalRCloseOptions, SignalRWaitOptions } from './kits/signalr/SignalRConnection.js';
export type { SignalREnvelope, SignalRMethod, SignalRMethodHandler, SignalRMethodSpec, SignalRMockConfig, SignalRMockFields, SignalRProtocolName, SignalRSendSpec, SignalRTransportName } from './kits/signalr/types.js';

// Connections
export { Connection } from './connections/Connection.js';
export type {
  CloseInfo,
  ConnectionType,
  CloseOptions,
  ConnectionEvents,
  ConnectionInfo,
  ScenarioInfo,
  SendData,
  SendOptions,
  WaitOptions,
} from './connections/types.js';
export type { Message, MessageDirection } from './connections/Message.js';
export type { TranscriptOptions } from './connections/transcript.js';

// Proxy
export { Upstream } from './proxy/Upstream.js';
export type { ProxyConfig, UpstreamDropClose } from './proxy/types.js';

// AsyncAPI contracts: mocks, checks and coverage (server.asyncapi(), the `contract` field)
export type { AsyncApiMocks, AsyncApiOptions, SendMessageOptions } from './asyncapi/mocks.js';
export type { ContractConfig, ContractReplyOverride } from './asyncapi/config.js';
export type { ContractMode, ContractViolation } from './asyncapi/types.js';
export type { ChannelCoverage, ContractCoverage, ContractReport, CoverageCounts, MessageCoverage, OperationCoverage } from './asyncapi/report.js';

// Errors
export { WsMockError, WsMockErrorCode } from './errors.js';
export type { ConfigIssue, WsMockErrorOptions } from './errors.js';

// Config files
export { loadConfigFiles, parseConfig } from './config/load.js';
export type { LoadedConfig } from './config/load.js';
export { configJsonSchema } from './config/schema.js';
export type { ConfigFile, ConfigOptions, ConfigServerBlock, ConfigTlsFiles } from './config/schema.js';

// AsyncAPI contracts
export { loadAsyncApi } from './asyncapi/load.js';
export type { LoadAsyncApiOptions } from './asyncapi/load.js';
export type {
  AsyncApiContract,
  ContractChannel,
  ContractError,
  ContractMessage,
  ContractOperation,
  ContractReply,
  ContractServer,
  ContractWarning,
  ContractWsBinding,
  JsonSchema,
  SkippedChannel,
} from './asyncapi/model.js';

// Utilities
export type { Duration } from './util/duration.js';

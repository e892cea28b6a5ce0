import type { IncomingHttpHeaders } from 'node:http';
import type { MatchSpec } from '../behaviour/types.js';
import type { Connection, MatchPredicate } from '../connections/Connection.js';
import type { Message } from '../connections/Message.js';
import type { Duration } from '../util/duration.js';
import type { ChaosOptions } from '../chaos/types.js';
import type { RecordingFile } from '../record/format.js';
import type { Recording } from '../record/Recording.js';
import type { ReplayTiming } from '../record/timeline.js';

export type { ReplayTiming };
import type { ProxyConfig } from '../proxy/types.js';
import type { ContractConfig } from '../asyncapi/config.js';

export type { MatchPredicate, MatchSpec };

/** A message the mock sends. */
export interface ResponseSpec {
  /** `text` sends a text frame, `json` serialises `value` into a text frame, `binary` sends bytes. */
  type: 'text' | 'json' | 'binary';
  /** The content: a template string for `text`, any JSON value for `json`, base64 (configs) or a Buffer (in-process) for `binary`. */
  value: unknown;
  /** Wait this long before sending. Responses to one connection keep their order. */
  delay?: Duration;
}

/** What an in-process `respond` function may return. */
export type RespondResult = ResponseSpec | string | object | Uint8Array | ArrayBuffer | void | undefined | null;

/**
 * An in-process responder. Return a response (a {@link ResponseSpec}, a string,
 * an object sent as JSON, a Buffer) or nothing, or a promise of one; or send
 * through `connection` yourself.
 */
export type RespondFunction = (message: Message, connection: Connection) => RespondResult | Promise<RespondResult>;

/** One rule: when a frame matches, what to answer. */
export interface MatcherConfig {
  /** When this rule applies. Omitted: it applies to every frame. */
  match?: MatchSpec | MatchPredicate;
  /** The response to send. */
  response?: ResponseSpec;
  /** Several responses, sent in order. */
  responses?: ResponseSpec[];
  /** Match, but send nothing (the frame is still journaled and stops later matchers). */
  noResponse?: boolean;
  /** In-process: compute the answer. */
  respond?: RespondFunction;
  /** Fire at most this many times per mock; after that the rule is skipped. */
  times?: number;
  /**
   * Proxy mocks: pass the frame on anyway after answering it (a client frame
   * still goes to the upstream; in `intercept`, the upstream's frame still
   * reaches the client, after this rule's responses).
   */
  forward?: boolean;
}

/** Sends a message to the client. */
export interface SendStep {
  /** Step kind. */
  type: 'send';
  /** The message; `{{message…}}` refers to the last message consumed by a wait step. */
  message: ResponseSpec;
}

/** Waits for a client message matching `match` (the message is consumed by the scenario), or for `duration`. */
export interface WaitStep {
  /** Step kind: `expect` is `wait` with a required `match`. */
  type: 'wait' | 'expect';
  /** The message to wait for. */
  match?: MatchSpec;
  /** How long to wait for it (default 30s). */
  timeout?: Duration;
  /** When true, a timeout moves on to the next step instead of failing the scenario. */
  optional?: boolean;
  /** With no `match`: pause this long. */
  duration?: Duration;
}

/** Pauses the scenario. */
export interface DelayStep {
  /** Step kind. */
  type: 'delay';
  /** How long to pause. */
  duration: Duration;
}

/** Closes the connection. */
export interface CloseStep {
  /** Step kind. */
  type: 'close';
  /** Close code, default 1000. */
  code?: number;
  /** Close reason. */
  reason?: string;
}

/** One step of a {@link ScenarioConfig}. */
export type ScenarioStep = SendStep | WaitStep | DelayStep | CloseStep;

/** A scripted sequence run per connection, starting on connect. */
export interface ScenarioConfig {
  /** Shown in `ConnectionInfo.scenario`. */
  name?: string;
  /** The steps, in order. */
  steps: ScenarioStep[];
  /** Start over after the last step. */
  loop?: boolean;
  /** Default true: each connection starts at step 0. False: a reconnecting client resumes where the previous connection stopped. */
  resetOnReconnect?: boolean;
}

/** Server pings and the pong deadline. */
export interface HeartbeatConfig {
  /** Default true when the block is present. */
  enabled?: boolean;
  /** Time between pings (default 30s). */
  interval?: Duration;
  /** How long to wait for the pong (default 10s) before closing with 1001 "ping timeout". */
  timeout?: Duration;
}

/** Control of the HTTP upgrade itself. */
export interface HandshakeConfig {
  /** A status of 400 or more refuses every upgrade with it. */
  status?: number;
  /** Headers added to the upgrade response (or to the refusal). */
  headers?: Record<string, string>;
  /** Body of the refusal: a string, or a value sent as JSON. */
  body?: unknown;
  /** Hold the handshake this long before answering. */
  delay?: Duration;
}

/** The upgrade request, as the in-process handshake hooks see it. */
export interface HandshakeRequest {
  /** The requested path with its query string. */
  url: string;
  /** The path alone. */
  path: string;
  /** The query string, parsed (last value wins for repeated keys). */
  query: Record<string, string>;
  /** The request headers, names in lower case. */
  headers: IncomingHttpHeaders;
  /** The `Origin` header, when the client sent one. */
  origin: string | undefined;
  /** The client's address. */
  remoteAddress: string;
}

/** A refusal returned by {@link HandshakeVerifier}: the HTTP response the client gets instead of the upgrade. */
export interface HandshakeRefusal {
  /** An HTTP status from 400 to 599. */
  status: number;
  /** Headers added to the refusal. */
  headers?: Record<string, string>;
  /** The body: a string, or a value sent as JSON. Default `{ error: 'handshake_refused', status }`. */
  body?: unknown;
}

/**
 * Decides, per handshake, whether to accept a client: `true` accepts, `false`
 * refuses with 401 `{ error: 'handshake_refused' }`, a {@link HandshakeRefusal}
 * refuses with its status. May be async: the handshake is held meanwhile. A
 * verifier that throws (or returns anything else) refuses with 500
 * `{ error: 'handshake_verify_failed' }` and the server emits `error`.
 */
export type HandshakeVerifier = (request: HandshakeRequest) => boolean | HandshakeRefusal | Promise<boolean | HandshakeRefusal>;

/**
 * Chooses the subprotocol of a handshake from those the client offered: a
 * string among them is agreed, `undefined` agrees none (refused with 400 when
 * `requireSubprotocol` is set), `false` (or a string the client did not offer)
 * refuses with 400 `{ error: 'subprotocol_not_supported' }`. One that throws
 * refuses with 500 `{ error: 'subprotocol_selection_failed' }` and the server emits `error`.
 */
export type SubprotocolSelector = (offered: string[], request: HandshakeRequest) => string | false | undefined;

/** {@link HandshakeConfig} plus the in-process hook (not in config files or admin JSON). */
export interface HandshakeHooks extends HandshakeConfig {
  /** In-process: decides per handshake whether to accept the client. */
  verify?: HandshakeVerifier;
}

/**
 * The fields of an endpoint that speaks WebSocket, whatever it speaks on top:
 * the WebSocket mock has them, and so does a kit that is plain WebSocket
 * underneath (JSON-RPC).
 */
export interface WebSocketEndpointFields {
  /** Required, starts with `/`. `:name` segments capture `params`. An exact path beats a parametrised one. */
  path: string;
  /** Subprotocols the mock accepts; the first one the client offers that is listed here is chosen. */
  subprotocols?: string[];
  /** Refuse handshakes that do not agree on a subprotocol (HTTP 400). */
  requireSubprotocol?: boolean;
  /** Largest accepted frame in bytes (default 1 MiB); a larger frame closes the connection with 1009. */
  maxMessageSize?: number;
  /** Most simultaneous connections; further handshakes get HTTP 503. Default unlimited. */
  maxConnections?: number;
  /** No frame either way for this long closes the connection with 1001 "idle timeout". */
  idleTimeout?: Duration;
  /** Server pings; a missing pong closes with 1001 "ping timeout". */
  heartbeat?: HeartbeatConfig;
  /** Control of the upgrade: refuse with a status, add headers, delay. */
  handshake?: HandshakeConfig;
  /** Seeded network faults on this mock's connections, over the server's default chaos; `null` turns the default off here. */
  chaos?: ChaosOptions | null;
  /** Record every connection's frames as they cross the wire: `server.recording(mockId)`. Bounded: the first 1,000 connections, each its first `journal.limit` frames. */
  record?: boolean;
}

/** How a replay compares the client's frames with the recorded ones. */
export interface ReplayMatch {
  /** Field names left out (at any depth) when a text frame that is JSON is compared as JSON: ids, timestamps. */
  ignore?: string[];
}

/**
 * Plays a recording back to every client: the recorded server frames are sent
 * and the recorded client frames awaited (a replay is a scenario: see
 * `ConnectionInfo.scenario`). Exactly one of `file` and `recording`.
 */
export interface ReplayConfig {
  /** A recording file (`wsmock-recording/1`) or a HAR file, relative to the working directory. */
  file?: string;
  /** The recording itself (the JSON form; in-process also a `Recording`). */
  recording?: RecordingFile;
  /** Only the recorded connections to this URL (a path, or a full URL for HAR files). */
  url?: string;
  /** Which recorded connection (after `url`) each client replays; default 0, the first. */
  connection?: number;
  /** `recorded` (default) keeps the recorded pauses before server frames, `asap` drops them, `{ speed: 10 }` divides them by 10. */
  timing?: ReplayTiming;
  /** How client frames are compared: as text, or with `ignore`, as JSON without these fields (at any depth). */
  match?: ReplayMatch;
  /** How long each recorded client frame is awaited (default 30s). */
  timeout?: Duration;
}

/** {@link ReplayConfig} in-process: `recording` may also be a {@link Recording} handle. */
export interface ReplayOptions extends Omit<ReplayConfig, 'recording'> {
  /** The recording: a handle from `server.recording()` / `loadRecording()`, or its JSON form. */
  recording?: Recording | RecordingFile;
}

/** The declarative fields of a WebSocket mock: what config files and the admin API carry. */
export interface WebSocketMockFields extends WebSocketEndpointFields {
  /** Echo messages nothing else answered. Default true when the mock has no matchers, scenario or handler. */
  echoMode?: boolean;
  /** Rules tried in order; the first match wins. */
  matchers?: MatcherConfig[];
  /** Sent when no matcher matches (before echo). */
  defaultResponse?: ResponseSpec;
  /** Scripted sequence per connection. */
  scenario?: ScenarioConfig;
  /** Play a recording back to each client instead of a scenario. */
  replay?: ReplayConfig;
  /**
   * Makes the mock a proxy: each client gets its own connection to this
   * upstream. Client frames that no matcher, scenario or default response
   * handles go to the upstream; the upstream's frames go to the client.
   */
  proxy?: ProxyConfig;
  /**
   * Proxy mocks: rules for the upstream's frames on their way to the client,
   * in the matchers' language. A frame a rule matches is replaced by its
   * responses (`noResponse` drops it; `forward: true` sends it too).
   */
  intercept?: MatcherConfig[];
  /**
   * Checks the mock's traffic against an AsyncAPI contract channel (the mock
   * keeps its own behaviour): violations in `conn.violations`, the server's
   * `contract:violation` event, `stats()` and `/metrics`. On a proxy mock the
   * upstream's frames are checked as the server's.
   */
  contract?: ContractConfig;
}

/**
 * What an {@link UpstreamMessageHandler} returns: a response (a
 * {@link ResponseSpec}, a string, bytes, an object sent as JSON) replaces the
 * upstream's frame, `null` drops it, `undefined` passes it unchanged.
 */
export type UpstreamMessageResult = ResponseSpec | string | object | Uint8Array | ArrayBuffer | null | undefined | void;

/**
 * In-process, on a proxy mock: sees every frame the upstream sends that no
 * `intercept` rule handled, on its way to the client. May be async (later
 * frames of the connection wait their turn). One that throws or rejects
 * passes the frame and is reported as the server's `error`.
 */
export type UpstreamMessageHandler = (message: Message, connection: Connection) => UpstreamMessageResult | Promise<UpstreamMessageResult>;

/** Runs for every new connection of the mock, before its scenario starts. */
export type ConnectionHandler = (connection: Connection) => void | Promise<void>;

/**
 * What `server.websocket()` takes: the declarative fields flat, plus identity
 * and the in-process function forms.
 */
export interface WebSocketMockConfig extends Omit<WebSocketMockFields, 'subprotocols' | 'handshake' | 'replay'> {
  /** Play a recording back to each client (in-process: `recording` may be a `Recording`). */
  replay?: ReplayOptions;
  /**
   * Subprotocols the mock accepts (the first one the client offers that is
   * listed is chosen) or, in-process, a {@link SubprotocolSelector} choosing per handshake.
   */
  subprotocols?: string[] | SubprotocolSelector;
  /** Control of the upgrade: refuse with a status, add headers, delay, and in-process `verify`. */
  handshake?: HandshakeHooks;
  /** Stable id (default: generated). Unique per server. */
  id?: string;
  /** Human-readable name. */
  name?: string;
  /** Default true. A disabled mock refuses handshakes with 503. */
  enabled?: boolean;
  /** In-process: called for every new connection (push a greeting, keep a handle). */
  onConnection?: ConnectionHandler;
  /** In-process, proxy mocks: replace (a response), drop (`null`) or pass (`undefined`) each frame from the upstream. */
  onUpstreamMessage?: UpstreamMessageHandler;
}

/** Identity fields of every envelope. */
export interface EnvelopeIdentity {
  /** Stable id (default: generated). */
  id?: string;
  /** Human-readable name. */
  name?: string;
  /** Default true. */
  enabled?: boolean;
}

/** A WebSocket mock as config files and the admin API write it. */
export interface WebSocketEnvelope extends EnvelopeIdentity {
  /** The mock type. */
  type: 'websocket';
  /** The mock itself. */
  websocket: WebSocketMockFields;
}

/**
 * A mock of a kit's type as config files and the admin API write it:
 * identity, `type`, and the kit's fields under the key named by the type
 * (`{ type: 'line', line: { path: '/line' } }`). Each kit names its own
 * (`KitEnvelopeOf<'jsonrpc', JsonRpcMockFields>`).
 */
export interface KitEnvelope extends EnvelopeIdentity {
  /** The kit's `type`. */
  type: string;
  /** The kit's fields, under the key named by `type`. */
  [field: string]: unknown;
}

/**
 * The envelope of a kit's type, typed: `KitEnvelopeOf<'line', LineFields>` is
 * `{ id?, name?, enabled?, type: 'line', line: LineFields }`.
 */
export type KitEnvelopeOf<Type extends string, Fields> = {
  /** Stable id (default: generated). */
  id?: string;
  /** Human-readable name. */
  name?: string;
  /** Default true. */
  enabled?: boolean;
  /** The kit's `type`. */
  type: Type;
} & { [K in Type]: Fields };

/**
 * The envelope used by config files and the admin API: identity, `type`, and
 * the mock's fields under the key named by the type. `websocket` is always
 * there; every other type is a kit's, registered on the server.
 */
export type MockEnvelope = WebSocketEnvelope | KitEnvelope;

/** A mock type: `websocket`, or the `type` of a registered kit (`socketio`, `graphql`, `jsonrpc`, `sse`, yours). */
export type MockType = string;

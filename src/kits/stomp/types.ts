import type { HandshakeHooks, KitEnvelopeOf, SubprotocolSelector, WebSocketEndpointFields } from '../../kit/index.js';
import type { Duration } from '../../util/duration.js';
import type { StompVersion } from './frame.js';
import type { StompConnection } from './StompConnection.js';
import type { StompSend } from './StompSend.js';

/**
 * A MESSAGE the mock publishes when a client SENDs to a destination, as a
 * Spring `@MessageMapping` method with `@SendTo` does. Strings are templates
 * over the SEND: `{{body}}` (its text), `{{json.text}}` (its JSON body),
 * `{{headers.name}}`, `{{destination}}`, the sender's CONNECT headers
 * (`{{connect.login}}`, as Spring's `Principal`), and the variables of every response
 * (`{{connection.id}}`, `{{uuid}}`, …). A string that is one variable and
 * nothing else keeps its type.
 */
export interface StompReplySpec {
  /** Where it goes (templated): every subscription to it; a `/user/…` destination only the sender's. */
  destination: string;
  /** The body: a string as is, any other JSON value as JSON (`content-type: application/json`). */
  body?: unknown;
  /** More headers of the MESSAGE (templated values). */
  headers?: Record<string, string>;
}

/** What a SEND to one destination does: publish one reply or several. */
export interface StompDestinationSpec {
  /** The MESSAGE(s) published when a client sends here. */
  reply: StompReplySpec | StompReplySpec[];
}

/**
 * An in-process destination: runs for every SEND to it (after a COMMIT for a
 * transactional one). What it returns (or resolves with), a
 * {@link StompReplySpec} or a list, is published; `undefined` publishes
 * nothing. A throw (or a rejection) is reported on `server.on('error')`; the
 * connection goes on, as Spring logs a failing `@MessageMapping` method that
 * has no error handler.
 */
export type StompDestinationHandler = (message: StompSend, connection: StompConnection) => unknown;

/**
 * How a CONNECT is answered, in-process: `true` accepts, `false` refuses
 * (an ERROR frame, then the close), `{ headers }` accepts with these headers
 * on CONNECTED. A throw (or a rejection) refuses with its message.
 */
export type StompConnectHook = (headers: Readonly<Record<string, string>>, connection: StompConnection) => boolean | StompConnectAnswer | Promise<boolean | StompConnectAnswer>;

/** A CONNECT accepted with headers of the mock's own in its CONNECTED. */
export interface StompConnectAnswer {
  /** Headers added to CONNECTED. */
  headers?: Record<string, string>;
}

/** The heart-beat the server offers in CONNECTED (`sx,sy`), milliseconds; 0 turns a direction off. */
export interface StompHeartBeat {
  /** The smallest interval the server sends heart-beats at (`sx`); default 10000. */
  outgoing?: number;
  /** The interval the server wants the client's heart-beats at (`sy`); default 10000. */
  incoming?: number;
}

/** The SockJS endpoint of a STOMP mock (`sockjs: true` takes the defaults). */
export interface StompSockJsOptions {
  /** Whether `/info` offers the WebSocket transport; default true. With false, clients use the HTTP transports. */
  websocket?: boolean;
  /** How often the server sends the SockJS heartbeat `h` on an idle session; default `25s`, as SockJS servers. */
  heartbeat?: Duration;
  /** A session with no poll for this long ends; default `5s`, as SockJS servers' `disconnect_delay`. */
  disconnectDelay?: Duration;
  /** Bytes an xhr-streaming response carries before the server ends it and the client polls again; default 128 KiB. */
  responseLimit?: number;
}

/** The declarative fields of a STOMP mock: what config files and the admin API carry. */
export interface StompMockFields extends WebSocketEndpointFields {
  /** What a SEND to each destination publishes; a SEND to a destination not listed goes to its subscribers (a simple broker). */
  destinations?: Record<string, StompDestinationSpec>;
  /** `false` refuses every CONNECT; `{ headers }` adds headers to CONNECTED. Default: accept. */
  connect?: boolean | StompConnectAnswer;
  /** The versions the mock speaks; default `['1.0', '1.1', '1.2']`. */
  versions?: StompVersion[];
  /** The heart-beat the server offers; default `{ outgoing: 10000, incoming: 10000 }`. */
  heartBeat?: StompHeartBeat;
  /** The largest frame, bytes, a partial frame held between messages included; default 65536, as Spring's message size limit. */
  maxFrameSize?: number;
  /** Serve SockJS under the mock's path (`/info`, `/{server}/{session}/websocket`, xhr-streaming, xhr-polling) beside raw WebSocket. */
  sockjs?: boolean | StompSockJsOptions;
}

/** A STOMP mock as config files and the admin API write it. */
export type StompEnvelope = KitEnvelopeOf<'stomp', StompMockFields>;

/** What `server.stomp()` takes: the declarative fields, identity, and the in-process hooks. */
export interface StompMockConfig extends Omit<StompMockFields, 'destinations' | 'connect' | 'subprotocols' | 'handshake'> {
  /** What a SEND to each destination does: a declarative reply or a function. */
  destinations?: Record<string, StompDestinationSpec | StompDestinationHandler>;
  /** How a CONNECT is answered: see {@link StompMockFields.connect}; in-process also a {@link StompConnectHook}. */
  connect?: boolean | StompConnectAnswer | StompConnectHook;
  /** Subprotocols the mock accepts (default `v12.stomp`, `v11.stomp`, `v10.stomp`), or a function choosing one per handshake. */
  subprotocols?: string[] | SubprotocolSelector;
  /** Control of the upgrade, with the in-process `verify`. */
  handshake?: HandshakeHooks;
  /** Stable id (default: generated). Unique per server. */
  id?: string;
  /** Human-readable name. */
  name?: string;
  /** Default true. A disabled mock refuses handshakes with 503. */
  enabled?: boolean;
}

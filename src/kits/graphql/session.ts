//
// One client socket speaking either protocol: the connection_init handshake,
// keep-alive, and the operations it runs. The mock's stage (stage.ts) keeps
// one session per connection.
//
import type { Connection, ConnectionArrivals, ConnectionGroup, Message } from '../../kit/index.js';
import { realClearInterval, realClearTimeout, realSetInterval, realSetTimeout } from '../../util/clock.js';
import { toError } from '../../util/toError.js';
import { describeOperation } from './document.js';
import { GraphQLConnection } from './GraphQLConnection.js';
import { OperationRun, type GraphQLOperation } from './GraphQLOperation.js';
import { runOperation, type CompiledOperation, type ReportError } from './handlers.js';
import {
  closeReason,
  GraphQLCloseCode,
  isObject,
  LEGACY_REFUSED_CLOSE,
  LEGACY_WS,
  parseLegacyMessage,
  parseTransportMessage,
  serverTypes,
  TRANSPORT_WS,
  type GraphQLProtocol,
  type OperationRequest,
} from './protocol.js';

/**
 * What lives as long as the mock: its arrivals and the operations still
 * running. The arrivals are kept per connection (bounded by `journal.limit`)
 * and listed mock-wide over the connections the group remembers, so a
 * released connection takes its handles and operations with it.
 */
export interface GraphQLState {
  readonly group: ConnectionGroup;
  readonly connections: ConnectionArrivals<GraphQLConnection>;
  readonly operations: ConnectionArrivals<GraphQLOperation>;
  /** Operations not yet ended, for `mock.operations` and `mock.publish()`. */
  readonly active: Set<OperationRun>;
}

/** What `connection_init` decides: refuse, accept, or accept with an ack payload. */
export type InitDecision = boolean | Record<string, unknown>;

/** One version of the mock, compiled: what every session of it runs. */
export interface CompiledGraphQL {
  init(payload: Record<string, unknown> | undefined): InitDecision | Promise<InitDecision>;
  operations: ReadonlyMap<string, CompiledOperation>;
  /** Milliseconds between keep-alive frames; 0 for none. */
  keepAlive: number;
  /** Milliseconds a graphql-transport-ws client has to send `connection_init`; 0 for ever. */
  initTimeout: number;
}

/** What a session needs from the mock. */
export interface SessionHost {
  readonly state: GraphQLState;
  readonly compiled: CompiledGraphQL;
  connectionCount(): number;
  report(error: Error, connection: Connection): void;
}

function ignore(): void {}

/**
 * The protocol state of one socket: whether `connection_init` came and was
 * acknowledged, its keep-alive timer, and its running operations by id.
 */
export class Session {
  readonly #conn: Connection;
  readonly #protocol: GraphQLProtocol;
  readonly #host: SessionHost;
  readonly #report: ReportError;
  readonly #operations = new Map<string, OperationRun>();
  #handle: GraphQLConnection | undefined;
  #acknowledged = false;
  #initTimer: NodeJS.Timeout | undefined;
  #keepAlive: NodeJS.Timeout | undefined;

  constructor(conn: Connection, protocol: GraphQLProtocol, host: SessionHost) {
    this.#conn = conn;
    this.#protocol = protocol;
    this.#host = host;
    this.#report = (error) => host.report(error, conn);
    const { initTimeout } = host.compiled;
    if (protocol === TRANSPORT_WS && initTimeout > 0) {
      this.#initTimer = realSetTimeout(() => this.#close(GraphQLCloseCode.INIT_TIMEOUT, 'Connection initialisation timeout'), initTimeout);
    }
  }

  /** A frame from the client. Resolves (when `connection_init` waits on an async decision) once it is handled. */
  receive(message: Message): void | Promise<void> {
    const json = message.json;
    const parsed = this.#protocol === TRANSPORT_WS ? parseTransportMessage(json) : parseLegacyMessage(json);
    if ('problem' in parsed) return this.#invalid(parsed.problem, json === undefined, parsed.id);
    const msg = parsed.message;
    switch (msg.type) {
      case 'connection_init':
        return this.#init(msg.payload);
      case 'ping':
        this.#send(msg.payload ? { type: 'pong', payload: msg.payload } : { type: 'pong' });
        return;
      case 'pong':
        return;
      case 'subscribe':
        return this.#subscribe(msg.id, msg.payload, message);
      case 'complete': {
        // Unknown ids (operations that already ended) are ignored, as PROTOCOL.md allows.
        this.#operations.get(msg.id)?.finish('client');
        return;
      }
      case 'connection_terminate':
        this.#conn.close().catch(ignore);
        return;
    }
  }

  /** The socket closed: timers stop, running operations end. */
  dispose(): void {
    if (this.#initTimer) realClearTimeout(this.#initTimer);
    if (this.#keepAlive) realClearInterval(this.#keepAlive);
    for (const run of [...this.#operations.values()]) run.finish('closed');
  }

  #invalid(problem: string, unreadable: boolean, id: string | undefined): void {
    if (this.#protocol === TRANSPORT_WS) {
      this.#close(GraphQLCloseCode.BAD_REQUEST, closeReason(unreadable ? 'Invalid message received' : problem, 'Invalid message received'));
      return;
    }
    // The legacy server keeps the socket: a frame it cannot read gets
    // `connection_error`, a bad operation frame an `error` for its id.
    if (unreadable) this.#send({ type: 'connection_error', payload: { message: problem } });
    else this.#send({ type: 'error', ...(id ? { id } : {}), payload: { message: problem } });
  }

  #init(payload: Record<string, unknown> | undefined): void | Promise<void> {
    if (this.#protocol === TRANSPORT_WS) {
      if (this.#handle) return this.#close(GraphQLCloseCode.TOO_MANY_INITS, 'Too many initialisation requests');
      if (this.#initTimer) realClearTimeout(this.#initTimer);
    }
    const outcome = { acknowledged: false };
    const handle = new GraphQLConnection(this.#conn, this.#protocol, payload, outcome);
    this.#handle ??= handle;
    this.#host.state.connections.push(this.#conn, handle);
    let decision: InitDecision | Promise<InitDecision>;
    try {
      decision = this.#host.compiled.init(payload);
    } catch (err) {
      return this.#initFailed(err);
    }
    if (decision instanceof Promise) return decision.then((d) => this.#decided(outcome, d), (err: unknown) => this.#initFailed(err));
    this.#decided(outcome, decision);
  }

  #decided(outcome: { acknowledged: boolean }, decision: InitDecision): void {
    if (!this.#conn.isOpen) return;
    if (decision === false) {
      if (this.#protocol === TRANSPORT_WS) return this.#close(GraphQLCloseCode.FORBIDDEN, 'Forbidden');
      this.#send({ type: 'connection_error', payload: { message: 'Prohibited connection!' } });
      return this.#close(LEGACY_REFUSED_CLOSE, 'Prohibited connection!');
    }
    this.#send(isObject(decision) ? { type: 'connection_ack', payload: decision } : { type: 'connection_ack' });
    this.#acknowledged = true;
    outcome.acknowledged = true;
    this.#startKeepAlive();
  }

  #initFailed(err: unknown): void {
    const error = toError(err);
    this.#report(error);
    if (this.#protocol === TRANSPORT_WS) this.#close(GraphQLCloseCode.INTERNAL_ERROR, closeReason(error.message, 'Internal server error'));
    else {
      this.#send({ type: 'connection_error', payload: { message: error.message } });
      this.#close(LEGACY_REFUSED_CLOSE, 'connection_init failed');
    }
  }

  #startKeepAlive(): void {
    const { keepAlive } = this.#host.compiled;
    if (keepAlive <= 0 || this.#keepAlive) return;
    const frame = JSON.stringify({ type: serverTypes[this.#protocol].keepAlive });
    // The legacy server sends its first `ka` with the ack.
    if (this.#protocol === LEGACY_WS) this.#send(frame);
    this.#keepAlive = realSetInterval(() => this.#send(frame), keepAlive);
  }

  #subscribe(id: string, request: OperationRequest, message: Message): void {
    const existing = this.#operations.get(id);
    if (this.#protocol === TRANSPORT_WS) {
      if (!this.#acknowledged) return this.#close(GraphQLCloseCode.UNAUTHORIZED, 'Unauthorized');
      if (existing) return this.#close(GraphQLCloseCode.SUBSCRIBER_EXISTS, closeReason(`Subscriber for ${id} already exists`, 'Subscriber already exists'));
    } else if (existing) {
      // The legacy server stops the running operation and starts the new one.
      existing.finish('client');
    }
    const { state, compiled } = this.#host;
    this.#handle ??= new GraphQLConnection(this.#conn, this.#protocol, undefined, { acknowledged: false });
    const { type, name } = describeOperation(request.query, request.operationName);
    const run = new OperationRun({
      id,
      type,
      operationName: name,
      query: request.query,
      variables: request.variables ?? {},
      extensions: request.extensions ?? {},
      connection: this.#handle,
      message,
      group: state.group,
      ended: (ended) => {
        if (this.#operations.get(id) === ended) this.#operations.delete(id);
        state.active.delete(ended);
      },
    });
    this.#operations.set(id, run);
    state.active.add(run);
    state.operations.push(this.#conn, run.handle);
    this.#bound();
    runOperation(run, name === undefined ? undefined : compiled.operations.get(name), () => this.#host.connectionCount(), this.#report);
  }

  /**
   * Operations a client starts and never completes would be held until the
   * socket closes: beyond `journal.limit` running on one connection, the
   * oldest is ended with an `error` saying why (the journal drops its oldest
   * frames the same way).
   */
  #bound(): void {
    const limit = this.#host.state.group.journalLimit;
    if (this.#operations.size <= limit) return;
    const [oldest] = this.#operations.values();
    void oldest!.handle.error({ message: `Too many operations running on this connection: more than journal.limit (${limit}); the oldest, ${oldest!.handle.id}, was ended` });
  }

  #send(data: string | Record<string, unknown>): void {
    if (this.#conn.isOpen) this.#conn.send(data).catch(ignore);
  }

  #close(code: number, reason: string): void {
    this.#conn.close({ code, reason }).catch(ignore);
  }
}

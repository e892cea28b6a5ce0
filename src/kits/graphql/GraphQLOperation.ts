//
// One operation a client started (`subscribe`, legacy `start`): the test's
// handle (what it asked for, the way to answer it) over the run the
// connection's session owns (how it ended, the frames it sends). The session
// ends runs directly; the mock's `publish()` answers them directly.
//
import { invalidArgument, Waiters, type ConnectionGroup, type Message } from '../../kit/index.js';
import { brand, hasBrand } from '../../util/brand.js';
import type { OperationType } from './document.js';
import type { GraphQLConnection } from './GraphQLConnection.js';
import { errorPayload, operationFrame, toResult, type ExecutionResult, type GraphQLFormattedError, type OperationFrame } from './protocol.js';

/** How an operation ended: the client completed (or stopped) it, the server completed or failed it, or the socket closed. */
export type OperationEnd = 'client' | 'server' | 'closed';

/** Options of {@link GraphQLOperation.waitForComplete}. */
export interface WaitForCompleteOptions {
  /** Milliseconds on the real clock; default: the server's `timeout` option. */
  timeout?: number;
}

/** What an operation is made from (by the connection's session). */
export interface OperationInit {
  id: string;
  type: OperationType;
  operationName: string | undefined;
  query: string;
  variables: Record<string, unknown>;
  extensions: Record<string, unknown>;
  connection: GraphQLConnection;
  /** The `subscribe` (legacy `start`) frame. */
  message: Message;
  group: ConnectionGroup;
  /** Told once when the operation ends, whoever ends it. */
  ended(run: OperationRun): void;
}

function toErrors(errors: unknown): GraphQLFormattedError[] {
  const list = Array.isArray(errors) ? errors : [errors];
  return list.map((error) => (typeof error === 'string' ? { message: error } : error instanceof Error ? { message: error.message } : (error as GraphQLFormattedError)));
}

/**
 * The server's side of one operation: whether and how it ended, and the
 * frames that answer it. Made and held by the connection's session; the
 * handle reads it.
 */
export class OperationRun {
  /** The test's handle. */
  readonly handle: GraphQLOperation;
  readonly waiters = new Waiters();
  readonly #abort = new AbortController();
  readonly #ended: (run: OperationRun) => void;
  #end: OperationEnd | undefined;

  constructor(init: OperationInit) {
    this.#ended = init.ended;
    this.handle = new GraphQLOperation(init, this);
  }

  /** How it ended, or undefined while it is active. */
  get end(): OperationEnd | undefined {
    return this.#end;
  }

  /** Aborted when the operation ends. */
  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  /** Sends one result already serialised (one payload published to many operations); a query or mutation then completes. */
  nextJson(payloadJson: string): boolean {
    if (!this.send('next', payloadJson)) return false;
    if (this.handle.type !== 'subscription') this.complete();
    return true;
  }

  /** Completes from the server side; false once it has ended. */
  complete(): boolean {
    if (!this.send('complete')) return false;
    this.finish('server');
    return true;
  }

  /** Writes one frame of the operation; false, sending nothing, once it has ended or its socket closed. */
  send(kind: OperationFrame, payloadJson?: string): boolean {
    if (this.#end !== undefined) return false;
    const { connection: graphql, id } = this.handle;
    const conn = graphql.connection;
    if (!conn.isOpen) {
      this.finish('closed');
      return false;
    }
    // A client gone meanwhile ends the operation through the session.
    conn.send(operationFrame(graphql.protocol, kind, id, payloadJson)).catch(() => undefined);
    return true;
  }

  /** Ends the operation without sending anything (the client completed it, the socket closed), or after the server's last frame. */
  finish(by: OperationEnd): void {
    if (this.#end !== undefined) return;
    this.#end = by;
    this.#abort.abort();
    this.#ended(this);
    this.waiters.notify();
  }
}

/**
 * An operation a client started on a GraphQL mock. Answer it with
 * {@link GraphQLOperation.next}, {@link GraphQLOperation.error} and
 * {@link GraphQLOperation.complete}; see the client stop with
 * {@link GraphQLOperation.waitForComplete}.
 *
 * @example
 * ```ts
 * const op = await gql.waitForOperation({ operationName: 'OnPrice' });
 * await op.next({ price: 1 });
 * await op.next({ price: 2 });
 * await op.complete();
 * ```
 */
export class GraphQLOperation {
  /** The id the client gave the operation (unique among its active operations). */
  readonly id: string;
  /** `query`, `mutation` or `subscription`, read from the document. */
  readonly type: OperationType;
  /** The request's `operationName`, else the name in the document (`subscription OnPrice …`). */
  readonly operationName: string | undefined;
  /** The document text. */
  readonly query: string;
  /** The request's variables (`{}` when absent). */
  readonly variables: Record<string, unknown>;
  /** The request's extensions (`{}` when absent). */
  readonly extensions: Record<string, unknown>;
  /** The GraphQL connection it runs on. */
  readonly connection: GraphQLConnection;
  /** The frame that started it. */
  readonly message: Message;
  readonly #group: ConnectionGroup;
  readonly #run: OperationRun;

  /** @internal Made with its run, by the connection's session for each operation. */
  constructor(init: OperationInit, run: OperationRun) {
    this.id = init.id;
    this.type = init.type;
    this.operationName = init.operationName;
    this.query = init.query;
    this.variables = init.variables;
    this.extensions = init.extensions;
    this.connection = init.connection;
    this.message = init.message;
    this.#group = init.group;
    this.#run = run;
    brand(this, 'graphql-operation');
  }

  /** True for any operation handle, from this copy of wsmock or another. */
  static [Symbol.hasInstance](value: unknown): boolean {
    return hasBrand(value, 'graphql-operation');
  }

  /** Whether the operation has ended (see {@link GraphQLOperation.endedBy}). */
  get completed(): boolean {
    return this.#run.end !== undefined;
  }

  /** How it ended, or undefined while it is active. */
  get endedBy(): OperationEnd | undefined {
    return this.#run.end;
  }

  /** Aborted when the operation ends: in-process handlers stop their work on it. */
  get signal(): AbortSignal {
    return this.#run.signal;
  }

  /**
   * Sends one result: `data`, or `{ data?, errors?, extensions? }`. A query or
   * mutation has one result, so it also completes. Resolves false, sending
   * nothing, once the operation has ended. Like every push to one connection,
   * it returns a promise (`mock.publish()`, the fan-out, is synchronous).
   */
  async next(result: unknown): Promise<boolean> {
    return this.#run.nextJson(JSON.stringify(toResult(result) satisfies ExecutionResult));
  }

  /**
   * Fails the operation: an `error` frame with `errors` (GraphQL errors, or
   * messages), which ends it. Resolves false once the operation has ended.
   * Like every push to one connection, it returns a promise.
   */
  async error(errors: GraphQLFormattedError | readonly GraphQLFormattedError[] | string | Error): Promise<boolean> {
    const list = toErrors(errors);
    if (list.length === 0 || list.some((e) => typeof e?.message !== 'string')) {
      throw invalidArgument('error() takes GraphQL errors ({ message }), a message string or an Error, at least one');
    }
    if (!this.#run.send('error', JSON.stringify(errorPayload(this.connection.protocol, list)))) return false;
    this.#run.finish('server');
    return true;
  }

  /** Completes the operation from the server side. Resolves false once it has ended. Like every push to one connection, it returns a promise. */
  async complete(): Promise<boolean> {
    return this.#run.complete();
  }

  /**
   * Resolves with how the operation ended once it has: `'client'` when the
   * client completed (legacy: stopped) it, `'server'`, or `'closed'` with the
   * socket. Race-free: an operation that already ended resolves at once.
   *
   * @example
   * ```ts
   * unsubscribe();
   * expect(await op.waitForComplete()).toBe('client');
   * ```
   */
  waitForComplete(options: WaitForCompleteOptions = {}): Promise<OperationEnd> {
    return this.#group.wait({
      find: () => this.#run.end,
      waiters: this.#run.waiters,
      what: `the end of operation ${this.#describe()}`,
      seen: () => 'It is still active.',
      ...(options.timeout !== undefined ? { timeout: options.timeout } : {}),
    });
  }

  /** `OnPrice (id 1, subscription) on conn-3`, for messages. */
  toString(): string {
    return this.#describe();
  }

  #describe(): string {
    return `${this.operationName ?? 'anonymous'} (id ${this.id}, ${this.type}) on ${this.connection.connection.id}`;
  }
}

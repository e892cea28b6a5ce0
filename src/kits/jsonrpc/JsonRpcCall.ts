import { connectionClosed, invalidArgument, type Connection } from '../../kit/index.js';
import { errorObjectOf } from './JsonRpcError.js';
import { JsonRpcErrorCode, type JsonRpcErrorObject, type JsonRpcId, type JsonRpcOutcome, type JsonRpcParams } from './protocol.js';

/**
 * Where a call stands: `pending` (waiting for the test's `respond` or `fail`),
 * `answered`, `notification` (nothing is ever sent back), or `dropped` (the
 * connection closed before anyone answered).
 */
export type JsonRpcCallStatus = 'pending' | 'answered' | 'notification' | 'dropped';

/**
 * What the kit knows of a call and alone writes: where it stands, what was
 * answered, and the test's answer while the mock awaits it. The stage makes it
 * with the call, the session drops it when the connection closes; the call
 * handle only reads it.
 *
 * @internal
 */
export class CallState {
  status: JsonRpcCallStatus;
  outcome: JsonRpcOutcome | undefined;
  /** Set when the test answered it with respond() or fail(); otherwise an answered call was answered by the mock. */
  answeredByTest = false;
  readonly #answer: Promise<JsonRpcOutcome> | undefined;
  #settle: ((outcome: JsonRpcOutcome) => void) | undefined;

  constructor(id: JsonRpcId | undefined, manual: boolean) {
    this.status = id === undefined ? 'notification' : manual ? 'pending' : 'answered';
    if (this.status === 'pending') this.#answer = new Promise((resolve) => (this.#settle = resolve));
  }

  /** Resolves when the test answers the call (`describe` names it when it is not the test's to answer). */
  answer(describe: string): Promise<JsonRpcOutcome> {
    return this.#answer ?? Promise.reject(new Error(`call ${describe} is not answered by the test`));
  }

  /** The test answered it. */
  settle(outcome: JsonRpcOutcome): void {
    this.status = 'answered';
    this.answeredByTest = true;
    this.outcome = outcome;
    this.#settle!(outcome);
  }

  /** The connection closed: a pending call can no longer be answered. */
  drop(): void {
    if (this.status === 'pending') this.status = 'dropped';
  }
}

/**
 * A call (a request or a notification) a client made on a JSON-RPC mock, as
 * `waitForCall()` returns it and the `calls` journals list it. A call to a
 * method the test answers itself (`{ manual: true }`, or an unknown method
 * with `unknownMethods: 'wait'`) stays `pending` until `respond()` or `fail()`.
 *
 * @example
 * ```ts
 * const call = await rpc.waitForCall('getUser');
 * expect(call.params).toEqual({ id: 7 });
 * call.respond({ id: 7, name: 'Ada' });
 * ```
 */
export class JsonRpcCall {
  /** The method called. */
  readonly method: string;
  /** The params as the client sent them (`undefined` when it sent none). */
  readonly params: JsonRpcParams;
  /** The request id; `undefined` for a notification. */
  readonly id: JsonRpcId | undefined;
  /** The connection it came on. */
  readonly connection: Connection;
  /** When it arrived (`Date.now()`). */
  readonly at: number;
  readonly #state: CallState;

  /** @internal Made by the mock for each call it receives, over the state the kit writes. */
  constructor(init: { method: string; params: JsonRpcParams; id: JsonRpcId | undefined; connection: Connection; state: CallState }) {
    this.method = init.method;
    this.params = init.params;
    this.id = init.id;
    this.connection = init.connection;
    this.at = Date.now();
    this.#state = init.state;
  }

  /** Whether the client expects no response. */
  get isNotification(): boolean {
    return this.id === undefined;
  }

  /** Where the call stands; see {@link JsonRpcCallStatus}. */
  get status(): JsonRpcCallStatus {
    return this.#state.status;
  }

  /** What the server answered, once it has: `{ result }` or `{ error }`. */
  get outcome(): JsonRpcOutcome | undefined {
    return this.#state.outcome;
  }

  /**
   * Answers a pending call with `result`. Throws `WSMOCK_ERR_INVALID_ARGUMENT`
   * when the call is not waiting for the test (a notification, or already
   * answered) and `WSMOCK_ERR_CONNECTION_CLOSED` when its connection closed.
   *
   * Returns nothing, unlike the methods that push to one connection: it settles
   * the call rather than sending, and the answer goes out with the rest of its
   * batch when the call came in one (`await call.connection.ping()` proves the
   * client has it once it is sent).
   */
  respond(result: unknown): void {
    this.#answerWith({ result: result === undefined ? null : result }, 'respond');
  }

  /**
   * Answers a pending call with an error: a {@link JsonRpcError}, a
   * `{ code, message, data? }` object, or any `Error` (-32603 with its message).
   * Throws like {@link JsonRpcCall.respond}.
   */
  fail(error: JsonRpcErrorObject | Error): void {
    this.#answerWith({ error: errorObjectOf(error) }, 'fail');
  }

  /** A JSON-ready record of the call. */
  toJSON(): Record<string, unknown> {
    return { method: this.method, params: this.params, id: this.id, connectionId: this.connection.id, status: this.#state.status, ...this.#state.outcome };
  }

  #answerWith(outcome: JsonRpcOutcome, action: string): void {
    if (this.#state.status === 'dropped') {
      throw connectionClosed(action, `the connection ${this.connection.id} of call ${this.#describe()}`, 'closed before it was answered');
    }
    if (this.#state.status !== 'pending') throw invalidArgument(`Cannot ${action} call ${this.#describe()}: ${this.#notWaiting()}.`);
    this.#state.settle(outcome);
  }

  #describe(): string {
    return describeCall(this);
  }

  /** Why a call that is not pending cannot be answered, and, when the mock answered it, how to make the test answer it. */
  #notWaiting(): string {
    const { status, outcome } = this.#state;
    if (status === 'notification') return 'it is a notification, which takes no response';
    if (this.#state.answeredByTest) return `the test already answered it${outcome ? ` with ${describeOutcome(outcome)}` : ''}`;
    const answered = outcome ? `the mock already answered it with ${describeOutcome(outcome)}` : 'the mock answers it itself';
    const how =
      outcome !== undefined && 'error' in outcome && outcome.error.code === JsonRpcErrorCode.METHOD_NOT_FOUND
        ? `set unknownMethods: 'wait' to have calls to methods the mock does not list wait for the test, or list it as { methods: { ${JSON.stringify(this.method)}: { manual: true } } }`
        : `declare the method with { manual: true } (methods: { ${JSON.stringify(this.method)}: { manual: true } }) to have its calls wait for the test`;
    return `${answered}. Only a call the test answers waits for respond() or fail(): ${how}`;
  }
}

/** `"add" (id 1)` or `"log" (notification)`, for messages. */
export function describeCall(call: JsonRpcCall): string {
  return `"${call.method}" (${call.id === undefined ? 'notification' : `id ${JSON.stringify(call.id)}`})`;
}

/** An outcome in a message: `-32601 Method not found` or `result {"id":7}` (cut at 80 characters). */
function describeOutcome(outcome: JsonRpcOutcome): string {
  if ('error' in outcome) return `${outcome.error.code} ${outcome.error.message}`;
  const json = JSON.stringify(outcome.result) ?? String(outcome.result);
  return `result ${json.length > 80 ? `${json.slice(0, 79)}…` : json}`;
}

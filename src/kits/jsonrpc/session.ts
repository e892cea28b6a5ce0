//
// The JSON-RPC state of one connection: the calls it made (journal and
// race-free arrivals), the calls the server made to it and their answers,
// and the timers of delayed answers. Owned by the mock's state, keyed by the
// connection; released when the connection closes.
//
import { Arrivals, connectionClosed, deliver, Waiters, type Connection, type ConnectionGroup, type WsMockError } from '../../kit/index.js';
import { realClearTimeout, realSetTimeout } from '../../util/clock.js';
import { describeCall, type CallState, type JsonRpcCall } from './JsonRpcCall.js';
import type { JsonRpcId, JsonRpcOutcome } from './protocol.js';

export class RpcSession {
  readonly connection: Connection;
  /** Every call of this connection, in arrival order; `waitForCall` takes from it. */
  readonly calls: Arrivals<JsonRpcCall>;
  /** Answers to the server's own calls, by id, until `rpc.call()` takes them. */
  readonly #answers = new Map<number, JsonRpcOutcome>();
  /** Ids of the server's calls still awaiting an answer. */
  readonly #awaiting = new Set<number>();
  readonly answerWaiters = new Waiters();
  /** What the kit writes of each call (the handles read it), dropped when the connection closes. */
  readonly #states = new WeakMap<JsonRpcCall, CallState>();
  readonly #timers = new Set<NodeJS.Timeout>();
  #nextId = 0;
  /** `{{sequence}}` in templated results: 1 for the first answer on this connection. */
  sequence = 0;

  constructor(connection: Connection, group: ConnectionGroup) {
    this.connection = connection;
    // Bounded as the connection's journal is, so a long-lived connection keeps a flat heap.
    this.calls = new Arrivals(group, describeCall, { limit: group.journalLimit });
  }

  /** Writes a JSON value as one text frame (journaled like every frame). */
  write(value: unknown): void {
    this.writeText(JSON.stringify(value), value);
  }

  /** Writes text already serialised from `value` (the journal keeps `value` as the frame's JSON). */
  writeText(text: string, value: unknown): void {
    deliver(this.connection, { payload: text, binary: false, json: value });
  }

  /** Runs `fn` after `ms` on the real clock, unless the connection closes first. */
  after(ms: number, fn: () => void): void {
    const timer = realSetTimeout(() => {
      this.#timers.delete(timer);
      fn();
    }, ms);
    this.#timers.add(timer);
  }

  /** A new id for a call the server makes; its answer is kept until taken. */
  expectAnswer(): number {
    const id = ++this.#nextId;
    this.#awaiting.add(id);
    return id;
  }

  /** The client answered `id`; false when the server made no such call (or gave up waiting). */
  answered(id: JsonRpcId, outcome: JsonRpcOutcome): boolean {
    if (typeof id !== 'number' || !this.#awaiting.delete(id)) return false;
    this.#answers.set(id, outcome);
    this.answerWaiters.notify();
    return true;
  }

  /** Takes the answer to `id`, if it came. */
  takeAnswer(id: number): JsonRpcOutcome | undefined {
    const outcome = this.#answers.get(id);
    if (outcome !== undefined) this.#answers.delete(id);
    return outcome;
  }

  /** Stops waiting for `id` (the wait timed out or was aborted). */
  forget(id: number): void {
    this.#awaiting.delete(id);
    this.#answers.delete(id);
  }

  /** The `WSMOCK_ERR_CONNECTION_CLOSED` error for `action` once the connection is closing, else undefined. */
  /** Keeps the state of a call this connection made, so closing drops it if it is still pending. */
  own(call: JsonRpcCall, state: CallState): void {
    this.#states.set(call, state);
  }

  closedError(action: string): WsMockError | undefined {
    if (this.connection.isOpen) return undefined;
    return connectionClosed(action, `connection ${this.connection.id}`, 'is closed', { close: this.connection.closeInfo });
  }

  /** The connection closed: stop the timers, drop pending calls, wake every wait so it fails. */
  close(): void {
    for (const timer of this.#timers) realClearTimeout(timer);
    this.#timers.clear();
    for (const call of this.calls.all) this.#states.get(call)?.drop();
    this.#awaiting.clear();
    this.#answers.clear();
    this.calls.notify();
    this.answerWaiters.notify();
  }
}

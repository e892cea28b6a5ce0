//
// What a function handler returns to ack with several arguments, and the
// ack a failed handler answers with. A plain return value is one argument
// (an array is one array); `ack(a, b)` is two.
//
import { handleBrand } from '../../kit/index.js';

/** Marks a value made by {@link ack}, so two copies of wsmock agree. */
const brand = handleBrand('socketio.ack');

/** Several ack arguments, as {@link ack} returns them. */
export interface SocketIoAck {
  /** The arguments the client's ack callback is called with. */
  readonly args: readonly unknown[];
}

/**
 * Acks with several arguments from a function handler: return (or resolve
 * with) `ack(a, b)` and the client's callback is called with `a, b`. Any
 * other value is the ack's one argument; `undefined` acks with none.
 *
 * @example
 * ```ts
 * server.socketio({ events: { divide: ([a, b]) => (b === 0 ? ack('division by zero') : ack(null, a / b)) } });
 * // client: socket.emit('divide', 6, 3, (err, quotient) => …)  → err null, quotient 2
 * ```
 */
export function ack(...args: unknown[]): SocketIoAck {
  const value = { args: Object.freeze(args) };
  brand.mark(value);
  return Object.freeze(value);
}

/** The ack arguments a handler's result stands for. */
export function ackArguments(result: unknown): unknown[] {
  if (brand.test(result)) return [...(result as SocketIoAck).args];
  return result === undefined ? [] : [result];
}

/**
 * What a client's ack callback gets when the handler of its event threw,
 * rejected, or returned what cannot be sent (a value nested too deep for
 * JSON, a BigInt): one argument `{ error: message }`. The server's `error`
 * event has the error itself.
 */
export function failedAck(error: Error): unknown[] {
  return [{ error: error.message }];
}

//
// The server's stream to a client (a `connection.stream()` call): each item
// a StreamItem, written before the next is asked for, so a client that reads
// slowly slows the stream instead of filling a buffer; then the Completion,
// or its error. A CancelInvocation from the client stops the source (its
// `return()`, so a generator's `finally` runs).
//
import { MessageType } from './protocol.js';
import type { HubSession } from './session.js';

/** Whether `value` is an async iterable (what an `async function*` returns). */
export function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function';
}

/** What a thrown value says, as a Completion's `error`. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : typeof err === 'string' ? err : String(err);
}

/** Streams `items` to the client under `invocationId`, until done, failed, cancelled or the connection ends. */
export async function streamOut(session: HubSession, invocationId: string, items: AsyncIterable<unknown> | Iterable<unknown>): Promise<void> {
  const iterator = isAsyncIterable(items) ? items[Symbol.asyncIterator]() : (items as Iterable<unknown>)[Symbol.iterator]();
  let stopped = false;
  session.outgoing.set(invocationId, () => {
    stopped = true;
    Promise.resolve(iterator.return?.()).catch(() => {});
  });
  const reply = (message: Parameters<HubSession['send']>[0]) => session.open && session.send(message);
  try {
    for (;;) {
      const next = await iterator.next();
      if (stopped || !session.open) return;
      if (next.done) break;
      await new Promise<void>((resolve, reject) => session.send({ type: MessageType.StreamItem, invocationId, item: next.value }, (err) => (err ? reject(err) : resolve())));
    }
    if (!stopped) reply({ type: MessageType.Completion, invocationId, hasResult: false });
  } catch (err) {
    if (!stopped) reply({ type: MessageType.Completion, invocationId, error: messageOf(err), hasResult: false });
  } finally {
    session.outgoing.delete(invocationId);
  }
}

//
// How the kit puts frames on connections: one JSON text, serialised once,
// through each connection's outbound phase (chaos, record and the journal
// see it as they see any frame), without a promise per recipient.
//
import { deliver, sharedTextFrame, type Connection, type OutboundFrame } from '../../kit/index.js';

/** A frame's value as the outbound frame every recipient gets. */
export function frameOf(value: Record<string, unknown>): OutboundFrame {
  return { payload: JSON.stringify(value), binary: false, json: value };
}

/** Sends `value` to one connection; `done` runs once it is written or failed. */
export function write(connection: Connection, value: Record<string, unknown>, done?: (err?: Error) => void): void {
  deliver(connection, frameOf(value), done);
}

/** Sends `value` to every open connection of `recipients` but `except`; returns how many got it. */
export function fanOut(recipients: Iterable<Connection>, value: Record<string, unknown>, except?: Connection): number {
  const frame = sharedTextFrame(JSON.stringify(value));
  let count = 0;
  for (const connection of recipients) {
    if (connection === except || !connection.isOpen) continue;
    deliver(connection, frame);
    count++;
  }
  return count;
}

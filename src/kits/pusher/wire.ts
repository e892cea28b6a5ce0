//
// How the kit puts frames on connections: one JSON text, serialised once,
// through each connection's outbound phase (chaos, record and the journal
// see it as they see any frame), without a promise per recipient.
//
import { deliver, type Connection, type OutboundFrame } from '../../kit/index.js';

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
  // Encoded to UTF-8 once for every recipient, the journal keeping the text; no
  // `json` value kept per recipient's journal entry (a read parses the text).
  const text = JSON.stringify(value);
  const frame: OutboundFrame = { payload: Buffer.from(text), binary: false, journal: text };
  let count = 0;
  for (const connection of recipients) {
    if (connection === except || !connection.isOpen) continue;
    deliver(connection, frame);
    count++;
  }
  return count;
}

//
// Writing Socket.IO packets on a connection: the text frame, then each
// binary attachment as its own frame (the connection journals them all).
//
import { deliver, invalidArgument, type Connection } from '../../kit/index.js';
import { encodeIoPacket, RESERVED_EVENTS, type IoPacket } from './ioParser.js';

/** A packet encoded once, to be written on one connection or many. */
export type EncodedPacket = ReturnType<typeof encodeIoPacket>;

/**
 * Writes an encoded packet on `connection`, through its outbound phase like
 * `conn.send()` but without a promise per frame: a send that fails because
 * the client left is not the caller's concern (the socket's disconnect tells
 * that story), and acks on a busy socket are the hot path.
 */
export function writePacket(connection: Connection, encoded: EncodedPacket): void {
  if (!connection.isOpen) return;
  deliver(connection, { payload: encoded.text, binary: false });
  for (const attachment of encoded.attachments) deliver(connection, { payload: attachment, binary: true });
}

/**
 * Writes an encoded packet as `conn.send()` does: resolves once every frame
 * (the text and each attachment) is written, rejects with what the first
 * failed write reports (the caller turns it into its own error).
 */
export function writePacketAndWait(connection: Connection, encoded: EncodedPacket): Promise<void> {
  return new Promise((resolve, reject) => {
    let pending = 1 + encoded.attachments.length;
    let failed = false;
    const written = (err?: Error): void => {
      if (failed) return;
      if (err) {
        failed = true;
        reject(err);
      } else if (--pending === 0) resolve();
    };
    deliver(connection, { payload: encoded.text, binary: false }, written);
    for (const attachment of encoded.attachments) deliver(connection, { payload: attachment, binary: true }, written);
  });
}

/** Encodes and writes one packet. */
export function sendPacket(connection: Connection, packet: IoPacket): void {
  writePacket(connection, encodeIoPacket(packet));
}

/** Throws unless `event` can be emitted: a non-empty string the protocol does not reserve. */
export function assertEventName(event: unknown): void {
  if (typeof event !== 'string' || event === '') throw invalidArgument('emit(event, ...args): event must be a non-empty string');
  if (RESERVED_EVENTS.has(event)) throw invalidArgument(`emit(event, ...args): "${event}" is a reserved event name`);
}

//
// Writing Socket.IO packets on a connection: the text frame, then each
// binary attachment as its own frame (the connection journals them all).
//
import type { Connection } from '../../connections/Connection.js';
import { encodeIoPacket, type IoPacket } from './ioParser.js';

/** A packet encoded once, to be written on one connection or many. */
export type EncodedPacket = ReturnType<typeof encodeIoPacket>;

// A send that fails because the client left is not the caller's concern:
// the socket's disconnect tells that story.
const ignore = () => {};

/** Writes an encoded packet on `connection`. */
export function writePacket(connection: Connection, encoded: EncodedPacket): void {
  connection.send(encoded.text).catch(ignore);
  for (const attachment of encoded.attachments) connection.send(attachment).catch(ignore);
}

/** Encodes and writes one packet. */
export function sendPacket(connection: Connection, packet: IoPacket): void {
  writePacket(connection, encodeIoPacket(packet));
}

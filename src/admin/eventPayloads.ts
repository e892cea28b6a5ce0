//
// What the admin event stream says about each server event, as JSON-ready
// objects. Frame payloads are cut at FRAME_PAYLOAD_LIMIT so one big frame
// cannot make one event big.
//
import type { Connection } from '../connections/Connection.js';
import { FrameMessage, type Message } from '../connections/Message.js';
import type { CloseInfo } from '../connections/types.js';
import type { Mock } from '../mocks/Mock.js';
import type { ContractViolation } from '../asyncapi/types.js';

/** With `frames=1`, a text frame's first 4096 characters, a binary frame's first 4096 bytes (base64). */
export const FRAME_PAYLOAD_LIMIT = 4096;

/** A `message` event: which connection, which way, how big, when; with `withPayload`, the (cut) payload. */
export function frameSummary(connection: Connection, message: Message, withPayload: boolean): Record<string, unknown> {
  const summary: Record<string, unknown> = {
    // The frame's place among all frames: a reader merging history (GET …/messages) and the stream drops
    // what it already has by it.
    ...(message instanceof FrameMessage ? { seq: message.seq } : {}),
    connectionId: connection.id,
    mockId: connection.mockId,
    direction: message.direction,
    binary: message.binary,
    size: message.size,
    at: message.at.toISOString(),
  };
  if (!withPayload) return summary;
  if (message.binary) {
    const bytes = message.data as Buffer;
    summary.data = bytes.subarray(0, FRAME_PAYLOAD_LIMIT).toString('base64');
    summary.truncated = bytes.length > FRAME_PAYLOAD_LIMIT;
  } else {
    const text = message.text ?? '';
    summary.data = text.length > FRAME_PAYLOAD_LIMIT ? text.slice(0, FRAME_PAYLOAD_LIMIT) : text;
    summary.truncated = text.length > FRAME_PAYLOAD_LIMIT;
  }
  return summary;
}

/** A `contract:violation` event: which connection and mock, then the violation as `conn.violations` holds it. */
export function violationSummary(connection: Connection, violation: ContractViolation): Record<string, unknown> {
  return { connectionId: connection.id, mockId: connection.mockId, ...violation };
}

/** A `close` event: the connection's last snapshot with how it ended. */
export function closeSummary(connection: Connection, info: CloseInfo): Record<string, unknown> {
  return { ...connection.info, code: info.code, reason: info.reason, by: info.by };
}

/**
 * A mock as the listing (`GET /mocks`) and the `mock:added`/`mock:updated`
 * events show it: its envelope, then `url` (what its clients open: `http(s)://`
 * for an SSE mock, the server's origin for Socket.IO, `ws(s)://` plus the path
 * otherwise) and `httpUrl`. `GET /mocks/{id}` stays the bare envelope, so what
 * it gives can be sent back with `PUT`.
 */
export function listedMock(mock: Mock): Record<string, unknown> {
  return { ...mock.toJSON(), url: mock.url, httpUrl: mock.httpUrl };
}

//
// The JSON HTTP refusals of SPEC §6, written on a socket that asked to
// upgrade (the `ws` server's `abortHandshake`, with a body a test can read).
//
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';

/** Why a handshake was refused, as emitted in the `rejected` event. */
export interface RejectionInfo {
  /** The requested path. */
  path: string;
  /** The HTTP status sent. */
  status: number;
  /** The machine-readable reason, e.g. `websocket_endpoint_not_found`. */
  error: string;
  /** The mock that refused, when one did. */
  mockId?: string;
}

/** Writes an HTTP refusal on a socket that asked to upgrade, then closes it. */
export function writeRefusal(socket: Duplex, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (socket.destroyed || !socket.writable) return;
  const text = typeof body === 'string' ? body : JSON.stringify(body ?? {});
  const type = typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json';
  const lines = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`,
    'Connection: close',
    `Content-Type: ${type}`,
    `Content-Length: ${Buffer.byteLength(text)}`,
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ];
  socket.once('finish', () => socket.destroy());
  socket.end(`${lines.join('\r\n')}\r\n\r\n${text}`);
}

/** The machine-readable reason of a refusal's body (`rejected` events, counters). */
export function refusalError(body: Record<string, unknown> | string): string {
  return typeof body === 'string' ? 'handshake_refused' : String(body.error ?? 'handshake_refused');
}

//
// What remote handles send and share over the admin API: a frame to send in
// the API's `{ type, data }` form, and the wait for a number of open
// connections (a mock's or the server's).
//
import type { ConnectionInfo } from '../connections/types.js';
import { invalidArgument, waitTimedOut, WsMockErrorCode } from '../errors.js';
import { kindOf } from '../util/argument.js';
import type { RemoteHttp } from './RemoteHttp.js';

/** What a remote `send` or `broadcast` takes: an object is sent as JSON text, a string as text, bytes as a binary frame. */
export type RemoteSendData = string | Buffer | Uint8Array | ArrayBuffer | Record<string, unknown> | unknown[] | number | boolean | null;

/**
 * `data` in the admin API's `{ type, data }` form: text, base64 binary, or
 * JSON. Throws `WSMOCK_ERR_INVALID_ARGUMENT` for what JSON has no form of
 * (undefined, a function, a symbol, a BigInt), as the in-process `send()` does.
 */
export function payloadOf(data: RemoteSendData, what = 'send()'): { type: 'text' | 'binary' | 'json'; data: unknown } {
  if (typeof data === 'string') return { type: 'text', data };
  if (data === undefined || typeof data === 'function' || typeof data === 'symbol' || typeof data === 'bigint') {
    throw invalidArgument(`${what} takes a string, an object (sent as JSON), or bytes; got ${typeof data}`);
  }
  if (data instanceof Uint8Array) return { type: 'binary', data: Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64') };
  if (data instanceof ArrayBuffer) return { type: 'binary', data: Buffer.from(data).toString('base64') };
  return { type: 'json', data };
}

/**
 * `value` when it is an object of options (`{}` when undefined); else throws
 * `WSMOCK_ERR_INVALID_ARGUMENT` naming `what` (`waitForConnection(options)`)
 * and what it got: a handle reads fields of it, and null has none.
 */
export function objectArgument<T extends object>(value: T | undefined, what: string): T {
  if (value === undefined) return {} as T;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidArgument(`${what} must be an object, got ${kindOf(value)}`);
  }
  return value;
}

/** The most a server holds one `GET /websocket/connections?wait=1` (its 5-minute bound). */
const MAX_COUNT_WAIT = 300_000;

/** Resolves with the open connections (of `mockId`, else all) once exactly `count` are open; WSMOCK_ERR_TIMEOUT after `timeout`. */
export async function waitForCount(http: RemoteHttp, count: number, timeout: number, mockId?: string): Promise<ConnectionInfo[]> {
  const hold = Math.round(Math.min(timeout, MAX_COUNT_WAIT));
  const query = new URLSearchParams({ wait: '1', count: String(count), timeout: String(hold) });
  if (mockId !== undefined) query.set('mockId', mockId);
  const { status, body } = await http.call('GET', `/websocket/connections?${query}`, {
    accept: [408],
    retry: true,
    hold,
    what: `wait for ${count} open connection(s)${mockId === undefined ? '' : ` on mock "${mockId}"`}`,
    notFound: WsMockErrorCode.MOCK_NOT_FOUND,
  });
  if (status === 408) {
    const open = (body.connections as ConnectionInfo[]).length;
    throw waitTimedOut(timeout, `${count} open connection(s)${mockId === undefined ? '' : ` on mock "${mockId}"`} (${http.url})`, `${open} open now.`);
  }
  return body.connections as ConnectionInfo[];
}

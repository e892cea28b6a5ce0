//
// What users hand to `WS`, checked where it enters: the URL, close options,
// and the data `send()` takes. Every refusal is a WsMockError saying what to write.
//
import { invalidArgument } from '../../errors.js';
import { isValidCloseCode, isValidCloseReason } from '../../util/closeCodes.js';

/** Options of `close()` and `error()`. */
export interface CloseOptions {
  /** Close code: 1000 (the default), 1001-1014 except 1004-1006, or 3000-4999. */
  code?: number;
  /** Close reason, at most 123 bytes. */
  reason?: string;
  /**
   * Accepted for compatibility and ignored: a real client that receives a close
   * frame answers it, so its `close` event says `wasClean: true`.
   */
  wasClean?: boolean;
}

/** The code and reason of `options`, checked against what a real client accepts. */
export function validClose(options: CloseOptions | undefined, method: string): { code: number; reason: string } {
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw invalidArgument(`${method} takes an options object ({ code, reason }), got ${typeof options}.`);
  }
  const code = options?.code ?? 1000;
  const reason = options?.reason ?? '';
  if (typeof code !== 'number' || !isValidCloseCode(code)) {
    throw invalidArgument(
      `${method}: close code ${String(code)} cannot be sent to a real client (RFC 6455 §7.4). ` +
        'Use 1000, 1001-1014 (not 1004-1006), or an application code from 3000 to 4999.',
    );
  }
  if (typeof reason !== 'string' || !isValidCloseReason(reason)) {
    throw invalidArgument(`${method}: the close reason must be a string of at most 123 bytes.`);
  }
  return { code, reason };
}

/** Whether `data` is bytes (an ArrayBuffer or a view, from this realm or jsdom's). */
export function isBytes(data: unknown): data is ArrayBuffer | ArrayBufferView {
  return data instanceof ArrayBuffer || ArrayBuffer.isView(data) || Object.prototype.toString.call(data) === '[object ArrayBuffer]';
}

/** The bytes as a Buffer, without copying. */
export function toBuffer(data: ArrayBuffer | ArrayBufferView): Buffer {
  return ArrayBuffer.isView(data) ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : Buffer.from(data as ArrayBuffer);
}

/** Where a `WS` listens: the loopback host its URL names, the port, the path. */
export interface Target {
  url: string;
  /** `localhost` (127.0.0.1 and ::1), or one loopback address. */
  host: string;
  port: number;
  pathname: string;
  /** The URL's host part as written (with the port): what `ws.url` shows. */
  authority: string;
}

const LOOPBACK_V4 = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

/** Parses `new WS(url)`'s URL: plain `ws://` on a loopback host. */
export function parseTarget(url: unknown): Target {
  if (typeof url !== 'string') throw invalidArgument(`new WS(url) takes a URL string such as "ws://localhost:1234", got ${typeof url}.`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalidArgument(`new WS(url): "${url}" is not a URL. Write it as ws://localhost:1234 (a path may follow).`);
  }
  if (parsed.protocol === 'wss:') {
    throw invalidArgument(
      `new WS(url): "${url}" is a wss:// URL, and WS serves plain ws:// on this machine (a real client cannot complete TLS with it). ` +
        'Point the code under test at ws://localhost:<port> in tests.',
    );
  }
  if (parsed.protocol !== 'ws:') {
    throw invalidArgument(`new WS(url): "${url}" is not a WebSocket URL (it has ${parsed.protocol}). Use ws://localhost:1234.`);
  }
  const hostname = parsed.hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (hostname !== 'localhost' && !LOOPBACK_V4.test(hostname) && hostname !== '::1') {
    throw invalidArgument(
      `new WS(url): "${url}" names the host ${parsed.hostname}, but WS listens on this machine's loopback interface only. ` +
        'Use localhost, 127.0.0.1 or [::1] in the URL, and point the code under test at the same URL.',
    );
  }
  const port = parsed.port === '' ? 80 : Number(parsed.port);
  return { url, host: hostname, port, pathname: parsed.pathname || '/', authority: parsed.host };
}

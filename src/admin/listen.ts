import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WsMockError, WsMockErrorCode } from '../errors.js';
import type { MockServer } from '../server/MockServer.js';
import { hostForUrl } from '../util/hostForUrl.js';
import { createAdminHandler } from './handler.js';
import { resolveAdminOptions } from './options.js';

/** A running admin listener. */
export interface AdminListener {
  /** `http://host:port` plus the base path: prepend it to any admin route. */
  readonly url: string;
  /** Stops listening and drops open HTTP connections. */
  close(): Promise<void>;
}

/**
 * A request Node's HTTP parser refused (a raw non-ASCII byte in the path, a
 * malformed header): answer with the admin API's JSON error shape rather than
 * a bare reset, unless the socket is gone or a response already started.
 */
function answerClientError(err: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Duplex): void {
  const started = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true;
  if (err.code === 'ECONNRESET' || !socket.writable || started) {
    socket.destroy();
    return;
  }
  const [status, reason] = err.code === 'HPE_HEADER_OVERFLOW' ? [431, 'Request Header Fields Too Large'] : [400, 'Bad Request'];
  const body = JSON.stringify({ error: 'bad_request', message: `The request is not valid HTTP (${err.code ?? 'parse error'}); check the path and headers are ASCII and well formed.` });
  // A HEAD response has headers only: a body would be read as garbage after it.
  const head = err.rawPacket?.toString('latin1', 0, 5) === 'HEAD ';
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${head ? '' : body}`,
  );
  socket.once('finish', () => socket.destroy());
}

/** Starts the admin handler of `server` on a listener of its own. */
export async function startAdminListener(server: MockServer, options: unknown): Promise<AdminListener> {
  const resolved = resolveAdminOptions(options, 'admin options');
  const handler = createAdminHandler(server, { basePath: resolved.basePath, token: resolved.token });
  const http = createServer((req, res) => handler(req, res));
  http.on('clientError', (err: NodeJS.ErrnoException, socket) => answerClientError(err, socket));
  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      const why = err.code === 'EADDRINUSE' ? `port ${resolved.port} is already in use` : err.message;
      reject(new WsMockError(WsMockErrorCode.LISTEN_FAILED, `Cannot start the admin listener on ${resolved.host}:${resolved.port}: ${why}.`, { cause: err }));
    };
    http.once('error', onError);
    http.listen(resolved.port, resolved.host, () => {
      http.off('error', onError);
      resolve();
    });
  });
  const port = (http.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${hostForUrl(resolved.host)}:${port}${resolved.basePath}`,
    close() {
      closing ??= new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      });
      return closing;
    },
  };
}

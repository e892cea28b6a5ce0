import type { Duplex } from 'node:stream';
import { listen } from '../server/listener.js';
import { tlsMaterial, type TlsMaterial } from '../server/tls.js';
import { createAdminHandler } from './handler.js';
import { formatHostRule } from './hostRules.js';
import { resolveAdminOptions } from './options.js';
import type { AdminTarget } from './target.js';

/** A running admin listener. */
export interface AdminListener {
  /** `http://host:port` (`https://` with TLS) plus the base path: prepend it to any admin route. */
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

/**
 * Starts the admin handler of `server` on a listener of its own. With
 * `tls: true` it serves `serverTls`: the server's certificate, which the
 * server makes when it has none yet.
 */
export async function startAdminListener(server: AdminTarget, options: unknown, serverTls: () => Promise<TlsMaterial>): Promise<AdminListener> {
  const resolved = resolveAdminOptions(options, 'admin options');
  // A listener of wsmock's own knows the names it answers to: IP addresses,
  // loopback names, its configured host, and those the caller adds.
  const allowedHosts = [...new Set([...(resolved.allowedHosts ?? []), resolved.host.toLowerCase().replace(/^\[|\]$/g, '')])];
  const handler = createAdminHandler(server, {
    basePath: resolved.basePath,
    ...(resolved.token === undefined ? {} : { token: resolved.token }),
    ...(resolved.recordings === undefined ? {} : { recordings: resolved.recordings }),
    proxyAllow: resolved.proxyAllow.map(formatHostRule),
    allowedHosts: allowedHosts.filter((name) => /^[A-Za-z0-9.-]+$/.test(name)),
  });
  const tls = resolved.tls === true ? await serverTls() : await tlsMaterial(resolved.tls);
  const listener = await listen({
    ...(tls ? { tls } : {}),
    host: resolved.host,
    port: resolved.port,
    what: 'start the admin listener',
    request: (req, res) => handler(req, res),
    clientError: answerClientError,
  });
  return {
    url: `${listener.origin}${resolved.basePath}`,
    close: () => {
      // End streams and waits with a proper last chunk before the sockets are dropped.
      handler.close();
      return listener.close();
    },
  };
}

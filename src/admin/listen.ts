import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
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

/** Starts the admin handler of `server` on a listener of its own. */
export async function startAdminListener(server: MockServer, options: unknown): Promise<AdminListener> {
  const resolved = resolveAdminOptions(options, 'admin options');
  const handler = createAdminHandler(server, { basePath: resolved.basePath, token: resolved.token });
  const http = createServer((req, res) => handler(req, res));
  http.on('clientError', (_err, socket) => socket.destroy());
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

import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { HttpError } from './httpErrors.js';

/** Checks a request's credentials against one token. */
export type Authorizer = (req: IncomingMessage) => void;

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

function presented(req: IncomingMessage): string | undefined {
  const authorization = req.headers.authorization;
  if (authorization !== undefined) {
    const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
    if (match) return match[1]!.trim();
  }
  const apiKey = req.headers['x-api-key'];
  return Array.isArray(apiKey) ? apiKey[0] : apiKey;
}

/**
 * Builds the check for `token`: `Authorization: Bearer <token>` or
 * `X-API-Key: <token>`, else 401. Without a token every request passes.
 */
export function createAuthorizer(token: string | undefined): Authorizer {
  if (token === undefined) return () => {};
  // Comparing fixed-length digests keeps the comparison constant-time
  // whatever the length of what the client sent.
  const expected = digest(token);
  return (req) => {
    const candidate = presented(req);
    if (candidate !== undefined && timingSafeEqual(digest(candidate), expected)) return;
    throw new HttpError(
      401,
      'unauthorized',
      candidate === undefined
        ? 'This admin API needs a token: send "Authorization: Bearer <token>" or "X-API-Key: <token>".'
        : 'The token sent is not the admin token.',
      { headers: { 'www-authenticate': 'Bearer realm="wsmock"' } },
    );
  };
}

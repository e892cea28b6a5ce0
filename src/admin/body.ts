//
// Request bodies: JSON only, at most 1 MiB, and never a key that could reach
// an object's prototype if some code later merged the body with `Object.assign`
// or a deep-merge helper.
//
import type { IncomingMessage } from 'node:http';
import { HttpError } from './httpErrors.js';
import { kindOf } from '../util/argument.js';

/** Largest accepted request body: 1 MiB. */
export const BODY_LIMIT = 1024 * 1024;

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

class ForbiddenKey extends Error {
  constructor(readonly key: string) {
    super(key);
  }
}

function reviver(key: string, value: unknown): unknown {
  if (FORBIDDEN_KEYS.has(key)) throw new ForbiddenKey(key);
  return value;
}

/** Parses JSON text, refusing `__proto__`, `constructor` and `prototype` keys at any depth. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text, reviver);
  } catch (err) {
    if (err instanceof ForbiddenKey) {
      return forbidden(err.key);
    }
    throw new HttpError(400, 'invalid_json', `The request body is not valid JSON: ${(err as Error).message}.`);
  }
}

function forbidden(key: string): never {
  throw new HttpError(400, 'forbidden_key', `The request body contains the key "${key}", which is not accepted anywhere in a body (it could pollute object prototypes). Rename or remove it.`);
}

function isJsonType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

/** Whether the request announces a body (a non-zero length, or chunked encoding). */
function announcesBody(req: IncomingMessage): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = Number(req.headers['content-length'] ?? 0);
  return Number.isFinite(length) && length > 0;
}

/**
 * A framework may have read and parsed the body already (Express's
 * `express.json()` in front of the handler). Re-check what it produced: the
 * stream cannot be read twice.
 */
function preParsed(req: IncomingMessage): { value: unknown } | undefined {
  const body = (req as IncomingMessage & { body?: unknown }).body;
  if (!req.readableEnded || body === undefined) return undefined;
  if (typeof body === 'string') return { value: body.trim() === '' ? undefined : parseJson(body) };
  if (Buffer.isBuffer(body)) return { value: body.length === 0 ? undefined : parseJson(body.toString('utf8')) };
  // Serialising keeps own "__proto__" keys that JSON.parse created, so the reviver sees them.
  return { value: parseJson(JSON.stringify(body)) };
}

function readText(req: IncomingMessage, limit: number): Promise<string> {
  const tooLarge = () => new HttpError(413, 'payload_too_large', `The request body exceeds the limit of ${limit} bytes (1 MiB).`, { headers: { connection: 'close' } });
  if (Number(req.headers['content-length'] ?? 0) > limit) {
    // Drain what the client sends so it gets to read the 413 instead of a reset.
    req.resume();
    return Promise.reject(tooLarge());
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        req.resume();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const onError = (err: Error) => {
      cleanup();
      reject(new HttpError(400, 'invalid_body', `The request body could not be read: ${err.message}.`));
    };
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

/**
 * Reads a JSON body. `required`: an absent or empty body is a 400 `empty_body`;
 * otherwise it resolves `undefined`. A body that is not declared JSON is a 415.
 */
export async function readJsonBody(req: IncomingMessage, options: { required: boolean; limit?: number }): Promise<unknown> {
  const missing = () =>
    new HttpError(400, 'empty_body', `${req.method} ${pathOf(req)} needs a JSON body (Content-Type: application/json); the request had none.`);
  const parsed = preParsed(req);
  const present = parsed ? parsed.value !== undefined : announcesBody(req);
  if (!present) {
    if (options.required) throw missing();
    return undefined;
  }
  if (!isJsonType(req.headers['content-type'])) {
    req.resume();
    throw new HttpError(
      415,
      'unsupported_media_type',
      `The request body must be JSON with "Content-Type: application/json"; got ${req.headers['content-type'] ? `"${req.headers['content-type']}"` : 'no Content-Type'}.`,
    );
  }
  if (parsed) return parsed.value;
  const text = await readText(req, options.limit ?? BODY_LIMIT);
  if (text.trim() === '') {
    if (options.required) throw missing();
    return undefined;
  }
  return parseJson(text);
}

/** Requires a JSON object (not an array, string or number). */
export function asObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(400, 'validation_error', `The request body must be a JSON object; got ${kindOf(body)}.`, {
      details: [{ path: '', message: 'must be a JSON object' }],
    });
  }
  return body as Record<string, unknown>;
}

function pathOf(req: IncomingMessage): string {
  return (req.url ?? '/').split('?')[0]!;
}

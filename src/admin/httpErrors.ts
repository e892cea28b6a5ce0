//
// Errors of the admin adapter and their HTTP form. Every failure leaves as
// `{ "error": "<code>", "message": "<human text>" }` (plus `details` for a
// validation error), whatever raised it.
//
import type { ServerResponse } from 'node:http';
import { WsMockError, WsMockErrorCode, type ConfigIssue } from '../errors.js';

/** An error with the HTTP status, machine code and message the client gets. */
export class HttpError extends Error {
  /** The HTTP status, e.g. 404. */
  readonly status: number;
  /** The `error` field of the body, e.g. `not_found`. */
  readonly code: string;
  /** For `validation_error`: each bad field with its path. */
  readonly details: ConfigIssue[] | undefined;
  /** Headers the response carries (`Allow`, `WWW-Authenticate`). */
  readonly headers: Record<string, string>;

  constructor(status: number, code: string, message: string, extra: { details?: ConfigIssue[]; headers?: Record<string, string> } = {}) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
    this.details = extra.details;
    this.headers = extra.headers ?? {};
  }
}

/** 400 `validation_error` for one field of a request body or query. */
export function validationError(path: string, message: string): HttpError {
  return new HttpError(400, 'validation_error', `Invalid request: ${path || '(body)'} ${message}.`, { details: [{ path, message }] });
}

/** 404 `not_found`. */
export function notFound(message: string): HttpError {
  return new HttpError(404, 'not_found', message);
}

/** Maps any error to the HTTP error the client sees. Catalogue errors keep their message. */
export function toHttpError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  if (err instanceof WsMockError) {
    switch (err.code) {
      case WsMockErrorCode.INVALID_CONFIG:
        return new HttpError(400, 'validation_error', err.message, { details: err.issues ?? [] });
      case WsMockErrorCode.INVALID_ARGUMENT:
        return new HttpError(400, 'invalid_argument', err.message);
      case WsMockErrorCode.DUPLICATE_ID:
        return new HttpError(409, 'duplicate_id', err.message);
      case WsMockErrorCode.PATH_CONFLICT:
        return new HttpError(409, 'path_conflict', err.message);
      case WsMockErrorCode.MOCK_NOT_FOUND:
      case WsMockErrorCode.CONNECTION_NOT_FOUND:
      // A connection that closed while the request was under way is gone, as far as a client can tell.
      case WsMockErrorCode.CONNECTION_CLOSED:
        return new HttpError(404, 'not_found', err.message);
      case WsMockErrorCode.UNSUPPORTED:
        return new HttpError(400, 'unsupported', err.message);
      case WsMockErrorCode.SERVER_CLOSED:
        return new HttpError(503, 'server_closed', err.message);
      default:
        return new HttpError(500, 'internal_error', err.message);
    }
  }
  const message = err instanceof Error ? err.message : String(err);
  return new HttpError(500, 'internal_error', `Unexpected error in the admin adapter: ${message}`);
}

/** Writes a JSON response (no body for 204). */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  if (status === 204 || body === undefined) {
    res.writeHead(status, { 'cache-control': 'no-store', ...headers });
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(text);
}

/** Writes an error as `{ error, message, details? }`. */
export function sendError(res: ServerResponse, err: unknown): void {
  const http = toHttpError(err);
  const body: Record<string, unknown> = { error: http.code, message: http.message };
  if (http.details !== undefined) body.details = http.details;
  sendJson(res, http.status, body, http.headers);
}

//
// An admin client over real HTTP (global fetch) for the admin tests.
//
import type { MockEnvelope } from '../../src/index.js';

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

/** Calls `method path` on `baseUrl`. An object body is sent as JSON; a string is sent as is. */
export async function call<T = any>(
  baseUrl: string,
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | undefined;
  if (typeof options.body === 'string') body = options.body;
  else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(`${baseUrl}${path}`, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = undefined;
  if ((res.headers.get('content-type') ?? '').includes('json') && text !== '') parsed = JSON.parse(text);
  return { status: res.status, headers: res.headers, body: parsed as T, text };
}

/** A client bound to one admin URL. */
export function adminClient(baseUrl: string, headers: Record<string, string> = {}) {
  const go = <T = any>(method: string, path: string, body?: unknown, extra: Record<string, string> = {}) =>
    call<T>(baseUrl, method, path, { body, headers: { ...headers, ...extra } });
  return {
    get: <T = any>(path: string, extra?: Record<string, string>) => go<T>('GET', path, undefined, extra),
    post: <T = any>(path: string, body?: unknown, extra?: Record<string, string>) => go<T>('POST', path, body, extra),
    put: <T = any>(path: string, body?: unknown, extra?: Record<string, string>) => go<T>('PUT', path, body, extra),
    patch: <T = any>(path: string, body?: unknown, extra?: Record<string, string>) => go<T>('PATCH', path, body, extra),
    delete: <T = any>(path: string, body?: unknown, extra?: Record<string, string>) => go<T>('DELETE', path, body, extra),
  };
}

/** A minimal echo mock envelope. */
export function echoEnvelope(id: string, path: string): MockEnvelope {
  return { id, type: 'websocket', websocket: { path } };
}

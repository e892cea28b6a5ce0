// Calls to the admin API of the page's own origin, with the token as a header
// (never in a URL). The event stream is read with fetch and a stream reader:
// EventSource cannot send headers.
import { createParser } from 'eventsource-parser';

/** A failed admin call: the HTTP status and the API's `{ error, message }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Where the admin API is: the page's own path, without a trailing slash. */
export function apiBase(pathname: string): string {
  return pathname.replace(/\/+$/, '');
}

export class Api {
  token: string | null = null;

  constructor(readonly base: string) {}

  #headers(json: boolean): Record<string, string> {
    const headers: Record<string, string> = {};
    if (json) headers['content-type'] = 'application/json';
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    return headers;
  }

  async call<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: this.#headers(body !== undefined),
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
    });
    const text = await res.text();
    const data = text === '' ? undefined : JSON.parse(text);
    if (!res.ok) throw new ApiError(res.status, data?.error ?? 'error', data?.message ?? `${method} ${path} failed with ${res.status}`);
    return data as T;
  }

  /** Reads `/events…` until it ends or `signal` aborts; each event's data is parsed JSON. */
  async stream(path: string, onEvent: (event: string, data: any) => void, signal: AbortSignal): Promise<void> {
    const res = await fetch(`${this.base}${path}`, { headers: this.#headers(false), signal, cache: 'no-store' });
    if (!res.ok || !res.body) {
      const data = await res.json().catch(() => undefined);
      throw new ApiError(res.status, data?.error ?? 'error', data?.message ?? `GET ${path} failed with ${res.status}`);
    }
    const parser = createParser({ onEvent: (e) => onEvent(e.event ?? 'message', JSON.parse(e.data)) });
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      parser.feed(value);
    }
  }
}

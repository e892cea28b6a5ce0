//
// Real SSE clients for tests: the `eventsource` package (what Node apps use)
// and a raw `node:http` reader that sees the wire text itself (comments,
// `retry:` lines, data split into lines). Both keep everything they received
// and read it through a cursor, so a read after the event landed still gets
// it; waits are event-driven, with timeouts on the real clock as a safety net.
//
import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import { EventSource } from 'eventsource';
import { realClearTimeout, realSetTimeout } from '../../src/util/clock.js';

/** One event as the EventSource dispatched it. */
export interface ReceivedEvent {
  type: string;
  data: string;
  lastEventId: string;
}

const open: Array<{ close(): void }> = [];

/** Closes every client opened by this module (call in afterEach). */
export function closeSseClients(): void {
  for (const client of open.splice(0)) client.close();
}

/** Waits until `ready()` is true, re-checking when `subscribe` signals; rejects after `timeout` saying what. */
function until(ready: () => boolean, subscribe: (wake: () => void) => () => void, what: string, timeout = 5000): Promise<void> {
  if (ready()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = realSetTimeout(() => {
      unsubscribe();
      reject(new Error(`Timed out after ${timeout} ms waiting for ${what}`));
    }, timeout);
    const unsubscribe = subscribe(() => {
      if (!ready()) return;
      realClearTimeout(timer);
      unsubscribe();
      resolve();
    });
  });
}

/** An `eventsource` client recording `message` and the named events asked for. */
export class SseClient {
  readonly source: EventSource;
  readonly events: ReceivedEvent[] = [];
  opens = 0;
  errors = 0;
  #read = 0;
  #wakers = new Set<() => void>();

  constructor(url: string, names: string[] = [], init?: ConstructorParameters<typeof EventSource>[1]) {
    this.source = new EventSource(url, init);
    const record = (event: MessageEvent) => {
      this.events.push({ type: event.type, data: String(event.data), lastEventId: event.lastEventId });
      this.#wake();
    };
    this.source.addEventListener('message', record);
    for (const name of names) this.source.addEventListener(name, record);
    this.source.addEventListener('open', () => {
      this.opens++;
      this.#wake();
    });
    this.source.addEventListener('error', () => {
      this.errors++;
      this.#wake();
    });
    open.push(this);
  }

  /** The next event not yet read, waiting for it. */
  async next(timeout?: number): Promise<ReceivedEvent> {
    await until(() => this.events.length > this.#read, (wake) => this.#subscribe(wake), 'an SSE event', timeout);
    return this.events[this.#read++]!;
  }

  /** The next `n` events. */
  async take(n: number): Promise<ReceivedEvent[]> {
    const out: ReceivedEvent[] = [];
    for (let i = 0; i < n; i++) out.push(await this.next());
    return out;
  }

  /** Resolves once the stream has been opened `n` times in all (reconnections count). */
  async opened(n = 1): Promise<void> {
    await until(() => this.opens >= n, (wake) => this.#subscribe(wake), `open #${n}`);
  }

  /** Resolves once `error` fired `n` times in all. */
  async failed(n = 1): Promise<void> {
    await until(() => this.errors >= n, (wake) => this.#subscribe(wake), `error #${n}`);
  }

  close(): void {
    this.source.close();
  }

  #subscribe(wake: () => void): () => void {
    this.#wakers.add(wake);
    return () => this.#wakers.delete(wake);
  }

  #wake(): void {
    for (const wake of [...this.#wakers]) wake();
  }
}

/** A raw HTTP GET that keeps the response's text as it arrives. */
export class RawStream {
  status = 0;
  headers: IncomingMessage['headers'] = {};
  text = '';
  ended = false;
  readonly request: ClientRequest;
  #wakers = new Set<() => void>();
  #response: IncomingMessage | undefined;

  constructor(url: string, options: { method?: string; headers?: Record<string, string> } = {}) {
    this.request = request(url, { method: options.method ?? 'GET', headers: options.headers ?? {} }, (response) => {
      this.#response = response;
      this.status = response.statusCode ?? 0;
      this.headers = response.headers;
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        this.text += chunk;
        this.#wake();
      });
      const end = () => {
        this.ended = true;
        this.#wake();
      };
      response.on('end', end);
      response.on('close', end);
      this.#wake();
    });
    this.request.on('error', () => {
      this.ended = true;
      this.#wake();
    });
    this.request.end();
    open.push(this);
  }

  /** Resolves once the response headers arrived. */
  async responded(): Promise<void> {
    await until(() => this.status !== 0, (wake) => this.#subscribe(wake), 'the response headers');
  }

  /** Resolves once the text received contains `piece`. */
  async contains(piece: string, timeout?: number): Promise<void> {
    await until(() => this.text.includes(piece), (wake) => this.#subscribe(wake), `${JSON.stringify(piece)} in the stream (got ${JSON.stringify(this.text)})`, timeout);
  }

  /** Resolves once the response has ended. */
  async end(): Promise<void> {
    await until(() => this.ended, (wake) => this.#subscribe(wake), 'the end of the response');
  }

  /** Drops the connection (a client going away). */
  close(): void {
    this.#response?.destroy();
    this.request.destroy();
  }

  #subscribe(wake: () => void): () => void {
    this.#wakers.add(wake);
    return () => this.#wakers.delete(wake);
  }

  #wake(): void {
    for (const wake of [...this.#wakers]) wake();
  }
}

//
// The one real-`ws` client for tests: connect, send, read frames in arrival
// order, and see how the connection ended. Every frame is kept in `received`
// and read through a cursor, so a read issued after a frame landed still gets
// it. Every wait is event-driven; the timeouts are only a safety net, run on
// the real clock (tests may install fake timers), and say what they waited for.
//
import WebSocket from 'ws';
import { realClearTimeout, realSetTimeout } from '../../src/util/clock.js';

/** One frame as the client received it. */
export interface Frame {
  readonly data: Buffer;
  readonly binary: boolean;
  /** The payload as UTF-8 text, binary frames included. */
  readonly text: string;
}

/** How the connection closed. */
export interface CloseInfo {
  code: number;
  reason: string;
}

/** Options of {@link connect} and {@link startClient}. */
export interface ConnectOptions {
  /** Subprotocols to offer. */
  protocols?: string | string[];
  /** Extra upgrade request headers. */
  headers?: Record<string, string>;
  /** Answer pings automatically (default true, as `ws` does). */
  autoPong?: boolean;
  /** Milliseconds the handshake, `frame()` (and what reads through it) and `close()` wait before giving up (default 5000). */
  timeout?: number;
}

/** A handshake the server answered with an HTTP status instead of 101. */
export interface Refusal {
  status: number;
  /** The body, parsed as JSON when it is JSON. */
  body: any;
  headers: Record<string, unknown>;
}

const DEFAULT_TIMEOUT = 5000;
const live = new Set<TestClient>();

/** Runs `fn` after `ms` on the real clock; returns the cancel function. */
function realTimer(ms: number, fn: () => void): () => void {
  const timer = realSetTimeout(fn, ms);
  return () => realClearTimeout(timer);
}

/** A real client. Create it with {@link connect} or, to act before the handshake completes, {@link startClient}. */
export class TestClient {
  readonly url: string;
  readonly ws: WebSocket;
  /** Every frame received, in order. */
  readonly received: Frame[] = [];
  /** Resolves once the handshake completed; rejects on a refusal (with `status`, `body`, `headers`) or a network error. */
  readonly opened: Promise<void>;
  /** Resolves with the close code and reason once the socket has closed. */
  readonly closed: Promise<CloseInfo>;
  /** How the socket closed, once it has. */
  closeInfo: CloseInfo | undefined;
  readonly #timeout: number;
  #cursor = 0;
  readonly #readers: { resolve: (frame: Frame) => void; reject: (err: Error) => void }[] = [];

  constructor(url: string, options: ConnectOptions = {}) {
    this.url = url;
    this.#timeout = options.timeout ?? DEFAULT_TIMEOUT;
    this.ws = new WebSocket(url, options.protocols, { headers: options.headers, autoPong: options.autoPong ?? true });
    live.add(this);
    this.ws.on('error', () => {});
    this.ws.on('message', (data: Buffer, binary: boolean) => {
      this.received.push({ data, binary, text: data.toString('utf8') });
      this.#deliver();
    });
    this.closed = new Promise((resolve) =>
      this.ws.once('close', (code, reason) => {
        live.delete(this);
        this.closeInfo = { code, reason: reason.toString('utf8') };
        resolve(this.closeInfo);
        for (const reader of this.#readers.splice(0)) reader.reject(new Error(`${url} closed with ${code} while a frame was awaited`));
      }),
    );
    this.opened = new Promise<void>((resolve, reject) => {
      const cancel = realTimer(this.#timeout, () => {
        reject(new Error(`${url} did not complete the handshake within ${this.#timeout} ms`));
        this.ws.terminate();
      });
      this.ws.once('open', () => {
        cancel();
        resolve();
      });
      this.ws.once('unexpected-response', (_req, res) => {
        cancel();
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
        res.on('end', () => {
          const error = new Error(`${url}: handshake refused with HTTP ${res.statusCode}`);
          reject(Object.assign(error, { status: res.statusCode, body, headers: res.headers }));
          this.ws.terminate();
        });
      });
      this.ws.once('error', (err) => {
        cancel();
        reject(err);
      });
    });
    this.opened.catch(() => {});
  }

  /** Frames received and not yet read. */
  get pending(): readonly Frame[] {
    return this.received.slice(this.#cursor);
  }

  /** The negotiated subprotocol. */
  get protocol(): string {
    return this.ws.protocol;
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  /**
   * Sends a string as text, an object as JSON text, bytes as binary (`binary` overrides).
   * Resolves once written; a caller may ignore the promise.
   */
  send(data: string | Buffer | object, options: { binary?: boolean } = {}): Promise<void> {
    const payload = typeof data === 'string' || Buffer.isBuffer(data) ? data : JSON.stringify(data);
    const binary = options.binary ?? Buffer.isBuffer(data);
    const sent = new Promise<void>((resolve, reject) => this.ws.send(payload, { binary }, (err) => (err ? reject(err) : resolve())));
    sent.catch(() => {});
    return sent;
  }

  /** The next frame not yet read, whole. */
  frame(timeout = this.#timeout): Promise<Frame> {
    if (this.#cursor < this.received.length) return Promise.resolve(this.received[this.#cursor++]!);
    if (this.closeInfo) return Promise.reject(new Error(`${this.url} closed with ${this.closeInfo.code} and no frame is left to read`));
    return new Promise((resolve, reject) => {
      const reader = {
        resolve: (frame: Frame) => {
          cancel();
          resolve(frame);
        },
        reject: (err: Error) => {
          cancel();
          reject(err);
        },
      };
      const cancel = realTimer(timeout, () => {
        this.#readers.splice(this.#readers.indexOf(reader), 1);
        reject(new Error(`${this.url}: no frame arrived within ${timeout} ms (awaited frame #${this.#cursor + 1}; ${this.received.length} received)`));
      });
      this.#readers.push(reader);
    });
  }

  /** The next frame's text. */
  async next(timeout?: number): Promise<string> {
    return (await this.frame(timeout)).text;
  }

  /** The next frame parsed as JSON. */
  async nextJson<T = any>(timeout?: number): Promise<T> {
    return JSON.parse(await this.next(timeout)) as T;
  }

  /** Reads frames until one satisfies `predicate` (given the parsed JSON, or the text when it is not JSON); returns it and what was skipped. */
  async nextWhere<T = any>(predicate: (value: T) => boolean, timeout?: number): Promise<{ value: T; skipped: T[] }> {
    const skipped: T[] = [];
    for (;;) {
      const { text } = await this.frame(timeout);
      let value: T;
      try {
        value = JSON.parse(text) as T;
      } catch {
        value = text as T;
      }
      if (predicate(value)) return { value, skipped };
      skipped.push(value);
    }
  }

  /** Sends and returns the next frame's text. */
  async ask(data: string | Buffer | object, timeout?: number): Promise<string> {
    void this.send(data);
    return this.next(timeout);
  }

  /** Sends and returns the next frame parsed as JSON. */
  async askJson<T = any>(data: string | Buffer | object, timeout?: number): Promise<T> {
    void this.send(data);
    return this.nextJson<T>(timeout);
  }

  /** Closes (or aborts a handshake in progress) and resolves once closed; drops the socket if the close is not answered in time. */
  async close(code = 1000): Promise<void> {
    if (this.ws.readyState === WebSocket.CONNECTING) this.ws.terminate();
    else if (this.ws.readyState === WebSocket.OPEN) this.ws.close(code);
    if (this.closeInfo) return;
    const cancel = realTimer(this.#timeout, () => this.ws.terminate());
    await this.closed;
    cancel();
  }

  #deliver(): void {
    while (this.#readers.length > 0 && this.#cursor < this.received.length) this.#readers.shift()!.resolve(this.received[this.#cursor++]!);
  }
}

/** Starts a client without waiting for the handshake: for a test that watches it (`upgrade`, a refusal). Await `client.opened`. */
export function startClient(url: string, options?: ConnectOptions): TestClient {
  return new TestClient(url, options);
}

/** Opens a client and resolves once the handshake completed. */
export async function connect(url: string, options?: ConnectOptions): Promise<TestClient> {
  const client = startClient(url, options);
  await client.opened;
  return client;
}

/** Resolves with the HTTP refusal of a handshake; fails if the handshake succeeds. */
export async function refusal(url: string, options?: ConnectOptions): Promise<Refusal> {
  const client = startClient(url, options);
  try {
    await client.opened;
  } catch (err) {
    const e = err as Partial<Refusal> & { body?: string };
    if (e.status === undefined) throw err;
    let body: unknown = e.body;
    try {
      body = JSON.parse(e.body ?? '');
    } catch {}
    return { status: e.status, body, headers: e.headers ?? {} };
  }
  await client.close();
  throw new Error(`expected ${url} to refuse the handshake, but it opened`);
}

/** Closes every client not yet closed. For `afterEach` (the shared server helpers call it). */
export async function closeAllClients(): Promise<void> {
  await Promise.all([...live].map((client) => client.close()));
}

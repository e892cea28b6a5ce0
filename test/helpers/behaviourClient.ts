//
// A small real-`ws` client for behaviour suites: connect, send, and take the
// next message as text or JSON. Messages are queued as they arrive, so a
// `next()` issued after the message landed still gets it; nothing is lost
// between an `await` and the next call.
//
import WebSocket from 'ws';

/** One frame as the client received it. */
export interface ReceivedFrame {
  readonly text: string;
  readonly binary: boolean;
  readonly data: Buffer;
}

/** Options of {@link connect}. */
export interface ConnectOptions {
  /** Subprotocols to offer. */
  protocols?: string | string[];
  /** Extra upgrade headers. */
  headers?: Record<string, string>;
  /** Milliseconds `open`, `next()` and `closed()` wait before failing (default 2000). */
  timeout?: number;
}

/** A connected client. */
export class TestClient {
  readonly ws: WebSocket;
  readonly #timeout: number;
  readonly #queue: ReceivedFrame[] = [];
  readonly #waiting: { resolve: (frame: ReceivedFrame) => void; reject: (err: Error) => void }[] = [];
  #close: { code: number; reason: string } | undefined;
  readonly #closeWaiters: ((info: { code: number; reason: string }) => void)[] = [];

  constructor(ws: WebSocket, timeout: number) {
    this.ws = ws;
    this.#timeout = timeout;
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      const frame = { text: data.toString('utf8'), binary: isBinary, data };
      const waiter = this.#waiting.shift();
      if (waiter) waiter.resolve(frame);
      else this.#queue.push(frame);
    });
    ws.on('close', (code, reason) => {
      this.#close = { code, reason: reason.toString('utf8') };
      for (const resolve of this.#closeWaiters.splice(0)) resolve(this.#close);
      for (const waiter of this.#waiting.splice(0)) waiter.reject(new Error(`closed with ${code} while waiting for a message`));
    });
    ws.on('error', () => {});
  }

  /** Frames received and not yet taken by `next()`. */
  get pending(): readonly ReceivedFrame[] {
    return this.#queue;
  }

  /** The negotiated subprotocol. */
  get protocol(): string {
    return this.ws.protocol;
  }

  /** Sends a string as text, an object as JSON text, bytes as binary. */
  send(data: string | object | Buffer): void {
    if (typeof data === 'string' || Buffer.isBuffer(data)) this.ws.send(data);
    else this.ws.send(JSON.stringify(data));
  }

  /** The next frame, whole. */
  frame(timeout = this.#timeout): Promise<ReceivedFrame> {
    const queued = this.#queue.shift();
    if (queued) return Promise.resolve(queued);
    if (this.#close) return Promise.reject(new Error(`closed with ${this.#close.code}; no message pending`));
    return new Promise((resolve, reject) => {
      const waiter = {
        resolve: (frame: ReceivedFrame) => {
          clearTimeout(timer);
          resolve(frame);
        },
        reject: (err: Error) => {
          clearTimeout(timer);
          reject(err);
        },
      };
      const timer = setTimeout(() => {
        this.#waiting.splice(this.#waiting.indexOf(waiter), 1);
        reject(new Error(`no message within ${timeout} ms`));
      }, timeout);
      this.#waiting.push(waiter);
    });
  }

  /** The next frame's text. */
  async next(timeout?: number): Promise<string> {
    return (await this.frame(timeout)).text;
  }

  /** The next frame parsed as JSON. */
  async json<T = any>(timeout?: number): Promise<T> {
    return JSON.parse(await this.next(timeout)) as T;
  }

  /** Takes frames until one satisfies `predicate` (parsed JSON, or the text when it is not JSON); returns it and what was skipped. */
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
  async ask(data: string | object | Buffer, timeout?: number): Promise<string> {
    this.send(data);
    return this.next(timeout);
  }

  /** Sends and returns the next frame parsed as JSON. */
  async askJson<T = any>(data: string | object | Buffer, timeout?: number): Promise<T> {
    this.send(data);
    return this.json<T>(timeout);
  }

  /** Resolves with the close code and reason once the socket has closed. */
  closed(timeout = this.#timeout): Promise<{ code: number; reason: string }> {
    if (this.#close) return Promise.resolve(this.#close);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`not closed within ${timeout} ms`)), timeout);
      this.#closeWaiters.push((info) => {
        clearTimeout(timer);
        resolve(info);
      });
    });
  }

  /** Closes the connection (if open) and waits until it is closed. */
  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    if (this.ws.readyState !== WebSocket.CLOSING) this.ws.close();
    await this.closed().catch(() => this.ws.terminate());
  }
}

const open = new Set<TestClient>();

/** Connects to `url` and resolves once the socket is open. */
export function connect(url: string, options: ConnectOptions = {}): Promise<TestClient> {
  const timeout = options.timeout ?? 2000;
  const ws = new WebSocket(url, options.protocols, { headers: options.headers });
  const client = new TestClient(ws, timeout);
  open.add(client);
  ws.once('close', () => open.delete(client));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`could not connect to ${url} within ${timeout} ms`)), timeout);
    ws.once('open', () => {
      clearTimeout(timer);
      resolve(client);
    });
    ws.once('unexpected-response', (_req, res) => {
      clearTimeout(timer);
      reject(new Error(`handshake refused with HTTP ${res.statusCode}`));
    });
    ws.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/** Closes every client opened by {@link connect} that is still open. For `afterEach`. */
export async function closeAllClients(): Promise<void> {
  await Promise.all([...open].map((client) => client.close()));
}

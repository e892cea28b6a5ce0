import WebSocket, { type ClientOptions } from 'ws';

/** What a test client received: text frames as strings, binary frames as Buffers. */
export type Received = string | Buffer;

/**
 * A real `ws` client for tests: connect, read frames in order, and see how
 * the connection ended. Every wait is event-driven.
 */
export class TestClient {
  readonly ws: WebSocket;
  readonly received: Received[] = [];
  readonly opened: Promise<void>;
  readonly closed: Promise<{ code: number; reason: string }>;
  #readers: ((value: Received) => void)[] = [];
  #next = 0;

  constructor(url: string, protocols?: string | string[], options?: ClientOptions) {
    this.ws = new WebSocket(url, protocols, options);
    this.ws.on('message', (data, isBinary) => {
      const value: Received = isBinary ? (data as Buffer) : (data as Buffer).toString('utf8');
      this.received.push(value);
      this.#readers.shift()?.(value);
    });
    this.ws.on('error', () => {});
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode, body, headers: res.headers })));
      });
      this.ws.once('error', reject);
    });
    this.opened.catch(() => {});
    this.closed = new Promise((resolve) => this.ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  /** The next frame not yet read by `next()`, in arrival order. */
  next(): Promise<Received> {
    const index = this.#next++;
    if (index < this.received.length) return Promise.resolve(this.received[index]!);
    return new Promise((resolve) => this.#readers.push(resolve));
  }

  /** The next frame as text. */
  async nextText(): Promise<string> {
    const value = await this.next();
    return typeof value === 'string' ? value : value.toString('utf8');
  }

  /** The next frame parsed as JSON. */
  async nextJson<T = unknown>(): Promise<T> {
    return JSON.parse(await this.nextText()) as T;
  }

  send(data: string | Buffer | object, binary = false): void {
    const payload = typeof data === 'string' || Buffer.isBuffer(data) ? data : JSON.stringify(data);
    this.ws.send(payload, { binary });
  }

  /** Closes (if open) and resolves once closed. */
  async close(code = 1000): Promise<void> {
    if (this.ws.readyState === WebSocket.CONNECTING) this.ws.terminate();
    else if (this.ws.readyState === WebSocket.OPEN) this.ws.close(code);
    await this.closed;
  }
}

/** Opens a client and waits until the handshake completes. */
export async function connect(url: string, protocols?: string | string[], options?: ClientOptions): Promise<TestClient> {
  const client = new TestClient(url, protocols, options);
  await client.opened;
  return client;
}

/** Resolves with the HTTP refusal of a handshake: status, parsed JSON body, headers. */
export async function refusal(url: string, protocols?: string | string[]): Promise<{ status: number; body: any; headers: Record<string, unknown> }> {
  const client = new TestClient(url, protocols);
  try {
    await client.opened;
  } catch (err) {
    const e = err as { status?: number; body?: string; headers?: Record<string, unknown> };
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

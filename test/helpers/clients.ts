//
// Real `ws` clients for the admin tests: each one records what it receives and
// how it closed, so a test waits on events instead of sleeping.
//
import WebSocket from 'ws';

export interface Received {
  data: Buffer;
  isBinary: boolean;
  text: string;
}

export class TestClient {
  readonly ws: WebSocket;
  readonly received: Received[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  #waiters: (() => void)[] = [];
  #cursor = 0;
  closeInfo: { code: number; reason: string } | undefined;

  constructor(ws: WebSocket) {
    this.ws = ws;
    ws.on('message', (data: Buffer, isBinary) => {
      this.received.push({ data, isBinary, text: data.toString('utf8') });
      for (const wake of this.#waiters.splice(0)) wake();
    });
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        this.closeInfo = { code, reason: reason.toString('utf8') };
        resolve(this.closeInfo);
        for (const wake of this.#waiters.splice(0)) wake();
      });
    });
  }

  /** The next message not yet returned. */
  async nextMessage(): Promise<Received> {
    while (this.#cursor >= this.received.length) {
      if (this.closeInfo) throw new Error(`client closed (${this.closeInfo.code}) before a message arrived`);
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
    return this.received[this.#cursor++]!;
  }

  /** Sends and waits until the frame is written. */
  send(data: string | Buffer): Promise<void> {
    return new Promise((resolve, reject) => this.ws.send(data, (err) => (err ? reject(err) : resolve())));
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }
}

const open = new Set<TestClient>();

/** Opens a client and resolves once the handshake completed. */
export function connect(url: string): Promise<TestClient> {
  const ws = new WebSocket(url);
  const client = new TestClient(ws);
  open.add(client);
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(client));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`handshake refused with HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

/** Attempts a handshake that should be refused; resolves with the HTTP status. */
export function refusedStatus(url: string): Promise<number> {
  const ws = new WebSocket(url);
  return new Promise((resolve, reject) => {
    ws.once('open', () => {
      ws.terminate();
      reject(new Error('handshake unexpectedly accepted'));
    });
    ws.once('unexpected-response', (req, res) => {
      resolve(res.statusCode ?? 0);
      req.destroy();
    });
    ws.on('error', () => {});
  });
}

/** Drops every client opened by `connect()`; for `afterEach`. */
export async function dropClients(): Promise<void> {
  const all = [...open];
  open.clear();
  await Promise.all(
    all.map((client) => {
      if (client.ws.readyState === WebSocket.CLOSED) return undefined;
      client.ws.terminate();
      return client.closed;
    }),
  );
}

// Real servers and real `ws` clients for the dashboard's browser tests.
import { WebSocket } from 'ws';
import { createMockServer, type MockServer } from '../../dist/index.js';

export type { MockServer };

/** A wsmock server from the built package, with its admin API (and the dashboard) on. */
export function startServer(admin: Record<string, unknown> = {}): Promise<MockServer> {
  return createMockServer({ admin: { ...admin } });
}

/** A `ws` client that keeps what it receives and how it closed. */
export class Client {
  readonly ws: WebSocket;
  readonly received: string[] = [];
  readonly opened: Promise<void>;
  readonly closed: Promise<{ code: number; reason: string }>;
  #waiters: (() => void)[] = [];

  constructor(url: string) {
    this.ws = new WebSocket(url);
    this.ws.on('message', (data, binary) => {
      this.received.push(binary ? `<binary ${(data as Buffer).toString('hex')}>` : data.toString());
      for (const w of this.#waiters.splice(0)) w();
    });
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
      this.ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`refused with ${res.statusCode}`), { status: res.statusCode })));
    });
    this.opened.catch(() => {});
    this.closed = new Promise((resolve) => this.ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  /** Resolves once `n` frames have arrived. */
  async waitForCount(n: number): Promise<string[]> {
    while (this.received.length < n) await new Promise<void>((resolve) => this.#waiters.push(resolve));
    return this.received;
  }
}

export async function connect(url: string): Promise<Client> {
  const client = new Client(url);
  await client.opened;
  return client;
}

/** The HTTP status a handshake is refused with (fails if it opens). */
export async function refusedWith(url: string): Promise<number> {
  const client = new Client(url);
  try {
    await client.opened;
  } catch (err) {
    return (err as { status: number }).status;
  }
  client.ws.close();
  throw new Error(`${url} opened`);
}

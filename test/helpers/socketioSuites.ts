//
// The servers the Socket.IO conformance tests run against: a wsmock
// Socket.IO mock and the real socket.io 4.8 server, both configured as the
// official protocol test suites expect of the server under test (their
// READMEs: pingInterval 300, pingTimeout 200, maxPayload 1e6, connectTimeout
// 1000; "auth" emitted on connection to `/` and `/custom`, "message" answered
// with "message-back", "message-with-ack" acked with its arguments). Each
// case runs against both, so an expectation of ours is checked against the
// reference server too. Plus raw HTTP and WebSocket helpers, as the suites
// use: `fetch` and `ws`.
//
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { ack, createMockServer } from '../../src/index.js';
import { closeAllClients, connect, type TestClient } from './client.js';

/** The server settings both suites expect. */
export const SUITE = { pingInterval: 300, pingTimeout: 200, maxPayload: 1_000_000, connectTimeout: 1000 } as const;

/** A server under test. */
export interface SuiteTarget {
  readonly name: string;
  /** `http://host:port` */
  readonly http: string;
  /** `ws://host:port` */
  readonly ws: string;
  /** Resolves once the server has ended the newest Engine.IO session, `sid`. */
  sessionEnded(sid: string): Promise<unknown>;
  close(): Promise<void>;
}

async function wsmockTarget(): Promise<SuiteTarget> {
  const server = await createMockServer();
  const io = server.socketio({
    ...SUITE,
    events: {
      message: (args, socket) => {
        socket.emit('message-back', ...args).catch(() => {});
      },
      'message-with-ack': (args) => ack(...args),
    },
    namespaces: { '/custom': {} },
  });
  // "auth" once each socket has connected: the mock hands the test its sockets.
  const greet = async (namespace: string): Promise<void> => {
    for (;;) {
      const socket = await io.of(namespace).waitForConnection({ timeout: 2 ** 30 }).catch(() => undefined);
      if (!socket) return;
      socket.emit('auth', socket.auth).catch(() => {});
    }
  };
  void greet('/');
  void greet('/custom');
  const http = server.url.replace(/^ws/, 'http');
  return {
    name: 'wsmock',
    http,
    ws: server.url,
    sessionEnded: () => io.connections.at(-1)!.waitForClose(),
    close: () => server.close(),
  };
}

async function socketIoTarget(): Promise<SuiteTarget> {
  const httpServer = createServer();
  const io = new Server(httpServer, { ...SUITE, cors: { origin: '*' } });
  io.on('connection', (socket) => {
    socket.emit('auth', socket.handshake.auth);
    socket.on('message', (...args: unknown[]) => socket.emit('message-back', ...args));
    socket.on('message-with-ack', (...args: unknown[]) => {
      const callback = args.pop() as (...a: unknown[]) => void;
      callback(...args);
    });
  });
  io.of('/custom').on('connection', (socket) => socket.emit('auth', socket.handshake.auth));
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = httpServer.address() as AddressInfo;
  return {
    name: 'socket.io 4.8',
    http: `http://127.0.0.1:${port}`,
    ws: `ws://127.0.0.1:${port}`,
    sessionEnded: (sid) => {
      const client = (io.engine as unknown as { clients: Record<string, { readyState: string; once(event: 'close', fn: () => void): void }> }).clients[sid];
      if (!client || client.readyState === 'closed') return Promise.resolve();
      return new Promise<void>((resolve) => client.once('close', resolve));
    },
    close: () =>
      new Promise<void>((resolve) => {
        httpServer.closeAllConnections();
        void io.close(() => resolve());
      }),
  };
}

/**
 * Both servers, started once per file; each entry's `target()` is valid
 * inside tests. Clients opened with `connect()` close after each test.
 */
export function useSuiteTargets(): { name: string; target: () => SuiteTarget }[] {
  const entries = [
    { name: 'wsmock', start: wsmockTarget },
    { name: 'socket.io 4.8', start: socketIoTarget },
  ].map(({ name, start }) => {
    let current: SuiteTarget | undefined;
    beforeAll(async () => {
      current = await start();
    });
    afterAll(() => current?.close());
    return {
      name,
      target: () => {
        if (!current) throw new Error(`${name} is started in beforeAll`);
        return current;
      },
    };
  });
  afterEach(() => closeAllClients());
  return entries;
}

/** The Engine.IO endpoint's URL with `query`. */
export function endpoint(base: string, query: string): string {
  return `${base}/socket.io/?${query}`;
}

/** An HTTP request's status and body text. */
export interface Reply {
  status: number;
  text: string;
}

/** A request with Node's fetch. */
export async function request(url: string, init: RequestInit = {}): Promise<Reply> {
  const res = await fetch(url, init);
  return { status: res.status, text: await res.text() };
}

/** Opens a long-polling session; resolves with its sid. */
export async function pollingSession(target: SuiteTarget): Promise<string> {
  const { text } = await request(endpoint(target.http, 'EIO=4&transport=polling'));
  return (JSON.parse(text.slice(1)) as { sid: string }).sid;
}

/** The polling URL of session `sid`. */
export function sessionUrl(target: SuiteTarget, sid: string, transport = 'polling'): string {
  return endpoint(target.http, `EIO=4&transport=${transport}&sid=${sid}`);
}

/**
 * A GET on its own connection (no pooling): `sent` resolves once the request
 * is on the wire, so a request made after it reaches the server second, as
 * the suites' `sleep(5)` orders them.
 */
export function sentGet(url: string): { sent: Promise<void>; reply: Promise<Reply> } {
  return sentRequest(url, 'GET');
}

/** {@link sentGet} with another method and a body. */
export function sentRequest(url: string, method: string, body?: string): { sent: Promise<void>; reply: Promise<Reply> } {
  let sent!: () => void;
  const onSent = new Promise<void>((resolve) => (sent = resolve));
  const reply = new Promise<Reply>((resolve, reject) => {
    const req = httpRequest(url, { agent: false, method }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, text }));
    });
    req.on('error', reject);
    req.on('finish', sent);
    req.end(body);
  });
  return { sent: onSent, reply };
}

/** A raw WebSocket on the Engine.IO endpoint (`binaryType` Buffers), opened. */
export function engineSocket(target: SuiteTarget, query = 'EIO=4&transport=websocket'): Promise<TestClient> {
  return connect(endpoint(target.ws, query));
}

/** The next frame that is not a ping (pings are answered, so the session stays up however slow the machine). */
export async function nextPacket(client: TestClient): Promise<string | Buffer> {
  for (;;) {
    const frame = await client.frame();
    if (!frame.binary && frame.text === '2') {
      void client.send('3');
      continue;
    }
    return frame.binary ? frame.data : frame.text;
  }
}

/** A Socket.IO connection to `/` over a raw WebSocket: past the Engine.IO open, the CONNECT and the "auth" event. */
export async function socketIoConnection(target: SuiteTarget): Promise<TestClient> {
  const client = await engineSocket(target);
  await nextPacket(client); // Engine.IO open
  void client.send('40');
  await nextPacket(client); // CONNECT
  await nextPacket(client); // "auth"
  return client;
}

//
// Issue 22 item 6, two waits a newcomer trips on:
// - waitForConnection() resolves when the server accepts the handshake, which
//   can be before the client's `open`; `{ open: true }` resolves once the
//   client answered a ping (on the server's wait, each mock's, SSE and JSON-RPC);
// - a wait nobody awaits, rejected later by reset(), close() or its timeout,
//   must not surface as an unhandled rejection blamed on a later test, while
//   an awaited one still rejects with the documented error.
//
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket as UndiciWebSocket } from 'undici';
import WebSocket from 'ws';
import { createMockServer, WsMockErrorCode, type MockServer } from '../src/index.js';
import { closeAllClients, connect, startClient } from './helpers/client.js';
import { closeSseClients, SseClient } from './helpers/sse.js';
import { useMockServer } from './helpers/server.js';

const server = useMockServer();
afterEach(() => closeSseClients());

/** Node's own WebSocket (undici's: Node 20 has no global one), recording what it fired, in order. */
function nodeClient(url: string): { ws: UndiciWebSocket; events: string[]; closed: Promise<{ code: number; reason: string; wasClean: boolean }> } {
  const ws = new UndiciWebSocket(url);
  const events: string[] = [];
  ws.addEventListener('open', () => events.push('open'));
  ws.addEventListener('error', () => events.push('error'));
  const closed = new Promise<{ code: number; reason: string; wasClean: boolean }>((resolve) => ws.addEventListener('close', (event) => resolve(event)));
  return { ws, events, closed };
}

describe('issue 22 item 6: waitForConnection({ open: true }) resolves once the client has the connection open', () => {
  it("Node's WebSocket has fired open when it resolves, so a close right away reaches it cleanly with its code", async () => {
    const mock = server.websocket('/open');
    const client = nodeClient(mock.url);
    const conn = await mock.waitForConnection({ open: true });
    expect(client.ws.readyState).toBe(UndiciWebSocket.OPEN);
    expect(client.events).toEqual(['open']);
    await conn.close({ code: 4001, reason: 'kicked' });
    const event = await client.closed;
    expect([event.code, event.reason, event.wasClean]).toEqual([4001, 'kicked', true]);
    expect(client.events).toEqual(['open']);
  });

  it('the ws client is OPEN when the server-wide wait resolves; the pong is the proof (no frame reaches the journal)', async () => {
    server.websocket('/any');
    const client = startClient(`${server.url}/any`);
    const conn = await server.waitForConnection({ open: true });
    expect(client.ws.readyState).toBe(WebSocket.OPEN);
    expect(conn.messages).toEqual([]);
  });

  it('works on an SSE mock (the stream head is written) and on a JSON-RPC mock (a JsonRpcConnection)', async () => {
    const feed = server.sse('/feed', { events: [{ data: 'first' }] });
    const sse = new SseClient(feed.url);
    const stream = await feed.waitForConnection({ open: true });
    expect(stream.type).toBe('sse');
    expect((await sse.next()).data).toBe('first');

    const rpc = server.jsonrpc('/rpc', { methods: { add: { result: 3 } } });
    const client = startClient(rpc.url);
    const handle = await rpc.waitForConnection({ open: true });
    expect(client.ws.readyState).toBe(WebSocket.OPEN);
    expect(handle.connection.isOpen).toBe(true);
  });

  it('rejects WSMOCK_ERR_CONNECTION_CLOSED, saying so, when the client is gone before it answers', async () => {
    const mock = server.websocket('/gone');
    const client = await connect(mock.url, { autoPong: false });
    const waiting = mock.waitForConnection({ open: true, timeout: 5000 });
    // Without autoPong the client never answers; closing it ends the wait.
    await expect.poll(() => mock.connections.length).toBe(1);
    client.ws.terminate();
    await expect(waiting).rejects.toMatchObject({ code: WsMockErrorCode.CONNECTION_CLOSED, message: expect.stringContaining('closed before its client answered a ping') });
  });

  it('refuses a non-boolean open naming the option', async () => {
    const mock = server.websocket('/bad');
    await expect(mock.waitForConnection({ open: 'yes' as never })).rejects.toMatchObject({ code: WsMockErrorCode.INVALID_ARGUMENT, message: 'open must be a boolean, got "yes"' });
  });
});

describe('issue 22 item 6: a wait nobody awaits is not an unhandled rejection', () => {
  const unhandled: unknown[] = [];
  const record = (reason: unknown) => unhandled.push(reason);

  /** Lets Node run its unhandled-rejection check (after the microtask queue drains) once more. */
  const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

  it('waits of every kind left pending, then reset(): no unhandledRejection; an awaited one rejects WSMOCK_ERR_MOCK_NOT_FOUND', async () => {
    process.on('unhandledRejection', record);
    try {
      const mock = server.websocket('/left');
      const feed = server.sse('/left-feed');
      const rpc = server.jsonrpc('/left-rpc', { methods: {} });
      const gql = server.graphql('/left-gql');
      const io = server.socketio('/socket.io/');
      const client = await connect(mock.url);
      const conn = await mock.waitForConnection();
      // Never awaited, as a test that forgot its `await` leaves them.
      void mock.waitForConnection();
      void mock.waitForConnection({ open: true });
      void mock.waitForConnectionCount(5);
      void feed.waitForConnection();
      void rpc.waitForConnection();
      void rpc.waitForCall('nothing');
      void gql.waitForConnection();
      void gql.waitForOperation();
      void io.waitForConnection();
      void conn.waitForMessage();
      void conn.ping();
      const awaited = mock.waitForConnection();
      const awaitedMessage = conn.waitForMessage();
      expect(client.ws.readyState).toBe(WebSocket.OPEN);
      await closeAllClients();
      await server.reset();
      await expect(awaited).rejects.toMatchObject({ code: WsMockErrorCode.MOCK_NOT_FOUND, message: 'Mock "' + mock.id + '" was removed while a wait on it was pending.' });
      await expect(awaitedMessage).rejects.toMatchObject({ code: WsMockErrorCode.CONNECTION_CLOSED });
      await nextTurn();
      await nextTurn();
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', record);
    }
  });

  it('an unawaited wait that times out, and one that close() rejects, are not unhandled either', async () => {
    process.on('unhandledRejection', record);
    let own: MockServer | undefined;
    try {
      void server.waitForConnectionCount(3, { timeout: 5 });
      // Created after it with the same timeout: it fails after the unawaited one has.
      await expect(server.waitForConnectionCount(3, { timeout: 5 })).rejects.toMatchObject({ code: WsMockErrorCode.TIMEOUT });
      own = await createMockServer();
      const mock = own.websocket('/x');
      void mock.waitForConnection();
      void own.waitForConnection();
      const awaited = own.waitForConnection();
      await own.close();
      await expect(awaited).rejects.toMatchObject({ code: WsMockErrorCode.SERVER_CLOSED });
      await nextTurn();
      await nextTurn();
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', record);
      await own?.close();
    }
  });
});

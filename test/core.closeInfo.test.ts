import type net from 'node:net';
import { WebSocket as UndiciWebSocket } from 'undici';
import { describe, expect, it } from 'vitest';
import { connect } from './helpers/client.js';
import { useMockServer } from './helpers/server.js';

// What a connection records about its close: the code and reason of whoever
// started it, and who that was. Regression tests for closes that wsmock
// started because of the client's frame, which were recorded as 1006.
const server = useMockServer();

describe('CloseInfo', () => {
  it('records 1009 from the server for a frame over maxMessageSize, as the client sees it', async () => {
    const mock = server.websocket({ path: '/small', maxMessageSize: 16 });
    const client = await connect(mock.url);
    const conn = await mock.waitForConnection();
    const closed = new Promise((resolve) => server.once('close', (_c, info) => resolve(info)));
    client.ws.send('x'.repeat(17));
    expect((await client.closed).code).toBe(1009);
    expect(await conn.waitForClose()).toEqual({ code: 1009, reason: '', by: 'server' });
    expect(conn.closeInfo).toEqual({ code: 1009, reason: '', by: 'server' });
    expect(await closed).toEqual({ code: 1009, reason: '', by: 'server' });
  });

  it('records 1007 from the server for a text frame that is not UTF-8', async () => {
    const mock = server.websocket('/utf8');
    const client = await connect(mock.url);
    const conn = await mock.waitForConnection();
    // ws sends a Buffer as a text frame unchecked when told it is not binary.
    client.ws.send(Buffer.from([0xc3, 0x28]), { binary: false });
    expect((await client.closed).code).toBe(1007);
    expect(await conn.waitForClose()).toEqual({ code: 1007, reason: '', by: 'server' });
  });

  it('records 1002 from the server for a protocol error (an unmasked client frame)', async () => {
    const mock = server.websocket('/proto');
    const client = await connect(mock.url);
    const conn = await mock.waitForConnection();
    // An unmasked text frame "hi": clients must mask every frame.
    (client.ws as unknown as { _socket: net.Socket })._socket.write(Buffer.from([0x81, 0x02, 0x68, 0x69]));
    expect(await conn.waitForClose()).toEqual({ code: 1002, reason: '', by: 'server' });
  });

  it("records 1012 with the server's reason although undici's client echoes the code alone", async () => {
    const mock = server.websocket('/updated');
    const client = new UndiciWebSocket(mock.url);
    const opened = new Promise((resolve, reject) => {
      client.addEventListener('open', resolve, { once: true });
      client.addEventListener('error', reject, { once: true });
    });
    const clientClosed = new Promise<{ code: number; reason: string }>((resolve) =>
      client.addEventListener('close', (event) => resolve({ code: event.code, reason: event.reason }), { once: true }),
    );
    await opened;
    const conn = await mock.waitForConnection();
    await mock.update({ echoMode: false });
    expect(await clientClosed).toEqual({ code: 1012, reason: 'mock updated' });
    expect(await conn.waitForClose()).toEqual({ code: 1012, reason: 'mock updated', by: 'server' });
  });

  it("records the client's own code and reason, by the client", async () => {
    const mock = server.websocket('/bye');
    const client = await connect(mock.url);
    const conn = await mock.waitForConnection();
    client.ws.close(4000, 'done here');
    expect(await conn.waitForClose()).toEqual({ code: 4000, reason: 'done here', by: 'client' });
  });

  it('records a TCP reset as 1006 from the network', async () => {
    const mock = server.websocket('/reset');
    const client = await connect(mock.url);
    const conn = await mock.waitForConnection();
    (client.ws as unknown as { _socket: net.Socket })._socket.resetAndDestroy();
    expect(await conn.waitForClose()).toEqual({ code: 1006, reason: '', by: 'network' });
  });

  it('counts the recorded code in stats-backed metrics (wsmock_disconnections_total)', async () => {
    const mock = server.websocket({ id: 'small', path: '/m', maxMessageSize: 8 });
    const client = await connect(mock.url);
    const conn = await mock.waitForConnection();
    client.ws.send('123456789');
    await conn.waitForClose();
    const adminUrl = server.adminUrl ?? (await server.listenAdmin());
    const text = await (await fetch(`${adminUrl}/metrics`)).text();
    expect(text).toContain('wsmock_disconnections_total{mock_id="small",type="websocket",code="1009"} 1');
    expect(text).not.toContain('code="1006"');
  });
});

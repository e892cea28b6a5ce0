// The SockJS endpoint of a STOMP mock on the wire: /info, the framing of its
// WebSocket transport, xhr_send's answers, the WebSocket transport turned
// off (sockjs-client falls back to HTTP), and no SockJS without `sockjs`.
import { afterEach, describe, expect, it } from 'vitest';
import { connect } from './helpers/client.js';
import { useMockServer } from './helpers/server.js';
import { deactivateClients, frame, httpOf, stompClient } from './helpers/stomp.js';

const server = useMockServer();
afterEach(() => deactivateClients());

const post = (url: string, body?: string) => fetch(url, { method: 'POST', ...(body !== undefined ? { body, headers: { 'content-type': 'text/plain' } } : {}) });

describe('issue 25: SockJS under a STOMP mock', () => {
  it('GET /info says what the endpoint offers; the path itself greets', async () => {
    const mock = server.stomp('/ws', { sockjs: true });
    const info = await fetch(`${httpOf(mock.url)}/info`);
    expect(info.headers.get('content-type')).toBe('application/json; charset=UTF-8');
    const body = (await info.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ websocket: true, origins: ['*:*'], cookie_needed: false });
    expect(typeof body.entropy).toBe('number');
    expect(await (await fetch(httpOf(mock.url))).text()).toBe('Welcome to SockJS!\n');
    const off = server.stomp('/plain');
    expect((await fetch(`${httpOf(off.url)}/info`)).status).toBe(426);
    await expect(connect(`${off.url}/1/abc/websocket`)).rejects.toMatchObject({ status: 404 });
  });

  it('the WebSocket transport frames: o, then a[…] carrying STOMP frames, and c[code,reason] on close', async () => {
    const mock = server.stomp('/ws', { sockjs: true });
    const ws = await connect(`${mock.url}/123/session1/websocket`);
    expect(await ws.next()).toBe('o');
    await ws.send(JSON.stringify([frame('CONNECT', { 'accept-version': '1.2', 'heart-beat': '0,0' })]));
    const connected = await ws.next();
    expect(connected).toMatch(/^a\["CONNECTED\\nversion:1\.2\\n/);
    const conn = await mock.waitForConnection();
    await conn.error('bye');
    expect(await ws.next()).toMatch(/^a\["ERROR\\n/);
    expect(await ws.next()).toBe('c[1002,"STOMP ERROR"]');
    expect((await ws.closed).code).toBe(1002);
  });

  it('xhr: the first poll opens (o), xhr_send takes a JSON array (204), broken JSON is 500, an unknown session 404', async () => {
    const mock = server.stomp('/ws', { sockjs: { disconnectDelay: '200ms' } });
    const base = `${httpOf(mock.url)}/1/s2`;
    expect(await (await post(`${base}/xhr`)).text()).toBe('o\n');
    const sent = await post(`${base}/xhr_send`, JSON.stringify([frame('CONNECT', { 'accept-version': '1.2', 'heart-beat': '0,0' })]));
    expect(sent.status).toBe(204);
    expect(await (await post(`${base}/xhr`)).text()).toMatch(/^a\["CONNECTED\\n/);
    const broken = await post(`${base}/xhr_send`, '["unterminated');
    expect([broken.status, await broken.text()]).toEqual([500, 'Broken JSON encoding.']);
    expect((await post(`${base}/xhr_send`, '')).status).toBe(500);
    expect((await post(`${httpOf(mock.url)}/1/nobody/xhr_send`, '["x"]')).status).toBe(404);
    // The client stops polling: its session ends after the disconnect delay.
    const conn = await mock.waitForConnection();
    expect((await conn.connection.waitForClose()).code).toBe(1006);
  });

  it('with the WebSocket transport off, sockjs-client connects over its HTTP fallback', async () => {
    const mock = server.stomp('/ws', { sockjs: { websocket: false } });
    expect(await (await fetch(`${httpOf(mock.url)}/info`)).json()).toMatchObject({ websocket: false });
    await expect(connect(`${mock.url}/1/abc/websocket`)).rejects.toMatchObject({ status: 404 });
    const app = stompClient(mock.url, { sockjs: true });
    await app.next('connect');
    app.subscribe('/topic/t');
    await mock.waitForSubscribe('/topic/t');
    mock.publish('/topic/t', 'over http');
    expect((await app.next('message')).message.body).toBe('over http');
  });
});

// The STOMP kit with the real @stomp/stompjs 7 Client, over WebSocket and
// over sockjs-client 1.6 (its WebSocket transport and its HTTP fallbacks).
import { afterEach, describe, expect, it } from 'vitest';
import { WsMockError, type StompMockConfig } from '../src/index.js';
import { deactivateClients, stompClient, type StompClientOptions } from './helpers/stomp.js';
import { useMockServer } from './helpers/server.js';

const server = useMockServer();
afterEach(() => deactivateClients());

const TRANSPORTS: [string, Pick<StompClientOptions, 'sockjs'>][] = [
  ['WebSocket', {}],
  ['SockJS (its WebSocket transport)', { sockjs: ['websocket'] }],
  ['SockJS xhr-streaming', { sockjs: ['xhr-streaming'] }],
  ['SockJS xhr-polling', { sockjs: ['xhr-polling'] }],
];

describe.each(TRANSPORTS)('issue 25: STOMP with @stomp/stompjs over %s', (_name, transport) => {
  const stomp = (path: string, config: Omit<StompMockConfig, 'path'> = {}) => server.stomp(path, { ...config, sockjs: transport.sockjs ? { disconnectDelay: '1s' } : false });

  it('connects with headers (the test sees them), subscribes, and gets what the mock publishes', async () => {
    const mock = stomp('/ws');
    const app = stompClient(mock.url, { ...transport, connectHeaders: { login: 'ada', passcode: 'secret', 'x-tenant': 'acme' } });
    const connected = await app.next('connect');
    expect(connected.frame.headers).toMatchObject({ version: '1.2', server: 'wsmock', 'user-name': 'ada' });
    const conn = await mock.waitForConnection();
    expect(conn.headers).toMatchObject({ login: 'ada', passcode: 'secret', 'x-tenant': 'acme', 'accept-version': '1.2,1.1,1.0' });
    expect(conn.version).toBe('1.2');
    app.subscribe('/topic/news');
    const sub = await mock.waitForSubscribe('/topic/news');
    expect(sub).toMatchObject({ destination: '/topic/news', ack: 'auto', connectionId: conn.id, active: true });
    expect(mock.publish('/topic/news', { headline: 'hi' }, { priority: '9' })).toBe(1);
    expect(mock.publish('/topic/other', 'nobody')).toBe(0);
    const { message } = await app.next('message');
    expect(JSON.parse(message.body)).toEqual({ headline: 'hi' });
    expect(message.headers).toMatchObject({ subscription: sub.id, destination: '/topic/news', 'content-type': 'application/json', priority: '9' });
    // One publish is one message: its id is the mock's, not the connection's (a subscription that acks gets one per delivery).
    expect(message.headers['message-id']).toMatch(/^\d+$/);
  });

  it('a connect hook refusing the CONNECT: the client gets ERROR with the message, then the close', async () => {
    const mock = stomp('/ws', { connect: (headers) => (headers.passcode === 'right' ? { headers: { 'x-welcome': 'yes' } } : Promise.reject(new Error('Bad credentials'))) });
    const refused = stompClient(mock.url, { ...transport, connectHeaders: { login: 'eve', passcode: 'wrong' } });
    const error = await refused.next('stomp-error');
    expect(error.frame.headers.message).toBe('Bad credentials');
    await refused.next('close');
    const accepted = stompClient(mock.url, { ...transport, connectHeaders: { login: 'ada', passcode: 'right' } });
    expect((await accepted.next('connect')).frame.headers['x-welcome']).toBe('yes');
  });

  it('a SEND to a destination is answered from its template; waitForSend sees it', async () => {
    const mock = stomp('/ws', { destinations: { '/app/chat': { reply: { destination: '/topic/messages', body: { from: '{{headers.login}}', text: '{{json.text}}', n: '{{json.n}}' } } } } });
    const app = stompClient(mock.url, transport);
    await app.next('connect');
    app.subscribe('/topic/messages');
    await mock.waitForSubscribe('/topic/messages');
    app.client.publish({ destination: '/app/chat', body: JSON.stringify({ text: 'hello', n: 3 }), headers: { login: 'ada', 'content-type': 'application/json' } });
    const send = await mock.waitForSend('/app/chat');
    expect(send).toMatchObject({ destination: '/app/chat', body: '{"text":"hello","n":3}', json: { text: 'hello', n: 3 } });
    expect(send.headers['content-type']).toBe('application/json');
    const { message } = await app.next('message');
    expect(JSON.parse(message.body)).toEqual({ from: 'ada', text: 'hello', n: 3 });
  });

  it('receipts: a frame with a receipt header is answered with RECEIPT (watchForReceipt)', async () => {
    const mock = stomp('/ws');
    const app = stompClient(mock.url, transport);
    await app.next('connect');
    const receipt = new Promise<string>((resolve) => app.client.watchForReceipt('r-1', (frame) => resolve(frame.headers['receipt-id']!)));
    app.client.publish({ destination: '/queue/jobs', body: 'job', headers: { receipt: 'r-1' } });
    expect(await receipt).toBe('r-1');
    expect((await mock.waitForSend('/queue/jobs')).body).toBe('job');
  });

  it('reconnects after update(): the mock closes its clients with 1012 and the client comes back', async () => {
    const mock = stomp('/ws');
    const app = stompClient(mock.url, { ...transport, reconnectDelay: 20 });
    await app.next('connect');
    const first = await mock.waitForConnection();
    await mock.update({ heartBeat: { outgoing: 0, incoming: 0 } });
    expect((await app.next('close')).code).toBe(1012);
    const again = await app.next('connect', 2);
    expect(again.frame.headers['heart-beat']).toBe('0,0');
    expect((await mock.waitForConnection()).id).not.toBe(first.id);
  });
});

describe('issue 25: STOMP semantics with @stomp/stompjs over WebSocket', () => {
  it('heart-beats both ways: the server sends EOLs at the negotiated rate and reads the client’s', async () => {
    const mock = server.stomp('/hb', { heartBeat: { outgoing: 40, incoming: 40 } });
    const app = stompClient(mock.url, { heartbeatIncoming: 40, heartbeatOutgoing: 40 });
    expect((await app.next('connect')).frame.headers['heart-beat']).toBe('40,40');
    await app.next('heartbeat', 2);
    const conn = await mock.waitForConnection();
    await conn.connection.waitForMessage((m) => m.text === '\n');
  });

  it('a client silent past twice the negotiated interval is closed (1001)', async () => {
    const mock = server.stomp('/silent', { heartBeat: { outgoing: 0, incoming: 30 } });
    // stompjs is told to send heart-beats, but a client that promised them and stops is what is tested: 1 ms out, and its pinger stopped.
    const app = stompClient(mock.url, { heartbeatOutgoing: 30 });
    await app.next('connect');
    (app.client as unknown as { _stompHandler: { _pinger?: { stop(): void } } })._stompHandler._pinger?.stop();
    const closed = await app.next('close');
    expect(closed.code).toBe(1001);
    expect(closed.reason).toBe('STOMP heart-beat missed');
  });

  it('/user/queue destinations are per connection: conn.send reaches one, publish to /user/{login}/… the login’s', async () => {
    const mock = server.stomp('/user');
    const ada = stompClient(mock.url, { connectHeaders: { login: 'ada' } });
    const bob = stompClient(mock.url, { connectHeaders: { login: 'bob' } });
    await ada.next('connect');
    await bob.next('connect');
    ada.subscribe('/user/queue/replies');
    bob.subscribe('/user/queue/replies');
    await mock.waitForSubscribe('/user/queue/replies');
    await mock.waitForSubscribe('/user/queue/replies');
    expect(mock.publish('/user/bob/queue/replies', 'for bob')).toBe(1);
    expect((await bob.next('message')).message.body).toBe('for bob');
    expect(mock.publish('/user/queue/replies', 'for all')).toBe(2);
    expect((await ada.next('message')).message.body).toBe('for all');
    expect((await bob.next('message', 2)).message.body).toBe('for all');
    const adaConn = [await mock.waitForConnection(), await mock.waitForConnection()].find((conn) => conn.headers.login === 'ada')!;
    expect(adaConn.send('/user/queue/replies', 'ada only')).toBe(1);
    expect((await ada.next('message', 2)).message.body).toBe('ada only');
    expect(bob.received).toHaveLength(2);
  });

  it('a destination function answers with what it returns; conn.send reaches that connection alone', async () => {
    const mock = server.stomp('/fn', {
      destinations: {
        '/app/echo': (message, conn) => {
          conn.send('/user/queue/echo', message.body.toUpperCase());
          return { destination: '/topic/log', body: `${message.connectionId}: ${message.body}` };
        },
      },
    });
    const app = stompClient(mock.url);
    await app.next('connect');
    app.subscribe('/user/queue/echo');
    app.subscribe('/topic/log');
    await mock.waitForSubscribe('/topic/log');
    const conn = await mock.waitForConnection();
    app.client.publish({ destination: '/app/echo', body: 'shout' });
    const bodies = [(await app.next('message', 1)).message.body, (await app.next('message', 2)).message.body];
    expect(bodies.sort()).toEqual(['SHOUT', `${conn.id}: shout`]);
  });

  it('a destination function that throws is reported on server.on(\'error\'); the connection goes on', async () => {
    const mock = server.stomp('/throws', { destinations: { '/app/boom': () => { throw new Error('no such order'); } } });
    const reported = new Promise<Error>((resolve) => server.once('error', (error: Error) => resolve(error)));
    const app = stompClient(mock.url);
    await app.next('connect');
    const receipt = new Promise<void>((resolve) => app.client.watchForReceipt('after', () => resolve()));
    app.client.publish({ destination: '/app/boom', body: 'x' });
    expect((await reported).message).toMatch(/^STOMP destination \/app\/boom failed on conn-\d+: no such order$/);
    app.client.publish({ destination: '/queue/next', body: 'y', headers: { receipt: 'after' } });
    await receipt;
    expect(app.events.filter((event) => event.type === 'stomp-error')).toEqual([]);
  });

  it('transactions: SENDs and ACKs are held until COMMIT, dropped on ABORT', async () => {
    const mock = server.stomp('/tx');
    const app = stompClient(mock.url);
    await app.next('connect');
    const conn = await mock.waitForConnection();
    const receipt = (id: string) => new Promise<void>((resolve) => app.client.watchForReceipt(id, () => resolve()));
    const aborted = app.client.begin('t-1');
    app.client.publish({ destination: '/queue/a', body: 'dropped', headers: { transaction: 't-1' } });
    aborted.abort();
    const tx = app.client.begin('t-2');
    const sent = receipt('in-tx');
    app.client.publish({ destination: '/queue/a', body: 'kept', headers: { transaction: 't-2', receipt: 'in-tx' } });
    await sent;
    await expect(mock.waitForSend('/queue/a', { timeout: 30 })).rejects.toThrow(WsMockError);
    tx.commit();
    const send = await mock.waitForSend('/queue/a');
    expect(send).toMatchObject({ body: 'kept', transaction: 't-2', connectionId: conn.id });
  });

  it('one publish is one message: auto-ack subscribers share its message-id; a subscription that acks gets its own per delivery', async () => {
    const mock = server.stomp('/ids');
    const [a, b, c] = [stompClient(mock.url), stompClient(mock.url), stompClient(mock.url)];
    for (const app of [a, b, c]) await app.next('connect');
    a.subscribe('/topic/ids');
    b.subscribe('/topic/ids');
    c.subscribe('/topic/ids', { ack: 'client' });
    for (let i = 0; i < 3; i++) await mock.waitForSubscribe('/topic/ids');
    expect(mock.publish('/topic/ids', 'first')).toBe(3);
    expect(mock.publish('/topic/ids', 'second')).toBe(3);
    const ids = async (app: typeof a) => [(await app.next('message', 1)).message.headers, (await app.next('message', 2)).message.headers];
    const [a1, a2] = await ids(a);
    const [b1, b2] = await ids(b);
    const [c1, c2] = await ids(c);
    expect(a1!['message-id']).toBe(b1!['message-id']);
    expect(a2!['message-id']).toBe(b2!['message-id']);
    expect(a1!['message-id']).not.toBe(a2!['message-id']);
    const conns = mock.connections.filter((conn) => conn.isOpen);
    expect(c1!['message-id']).toMatch(new RegExp(`^(${conns.map((conn) => conn.id).join('|')})-\\d+$`));
    expect(new Set([a1!['message-id'], c1!['message-id'], c2!['message-id']]).size).toBe(3);
    expect(c1!.ack).toBe(c1!['message-id']);
  });

  it('ack modes: client-individual messages carry an ack header; ACK and NACK are recorded', async () => {
    const mock = server.stomp('/ack');
    const app = stompClient(mock.url);
    await app.next('connect');
    app.subscribe('/queue/work', { ack: 'client-individual' });
    const sub = await mock.waitForSubscribe('/queue/work');
    expect(sub.ack).toBe('client-individual');
    mock.publish('/queue/work', 'one');
    mock.publish('/queue/work', 'two');
    const one = (await app.next('message', 1)).message;
    const two = (await app.next('message', 2)).message;
    expect(one.headers.ack).toBe(one.headers['message-id']);
    const done = new Promise<void>((resolve) => app.client.watchForReceipt('acked', () => resolve()));
    one.ack();
    two.nack({ receipt: 'acked' });
    await done;
    const conn = await mock.waitForConnection();
    expect(conn.acks.map((a) => [a.kind, a.id])).toEqual([
      ['ack', one.headers.ack],
      ['nack', two.headers.ack],
    ]);
  });

  it('STOMP 1.1 and 1.0 are negotiated from accept-version (the subprotocol as the client offers it)', async () => {
    const mock = server.stomp('/versions', { versions: ['1.0', '1.1'] });
    const app = stompClient(mock.url, { versions: ['1.2', '1.1'] });
    expect((await app.next('connect')).frame.headers.version).toBe('1.1');
    expect((await mock.waitForConnection()).connection.subprotocol).toBe('v12.stomp');
    const old = stompClient(mock.url, { versions: ['1.0'] });
    expect((await old.next('connect')).frame.headers.version).toBe('1.0');
  });

  it('conn.error() sends ERROR with the message and headers, then closes the connection alone', async () => {
    const mock = server.stomp('/err');
    const app = stompClient(mock.url);
    const other = stompClient(mock.url);
    await app.next('connect');
    await other.next('connect');
    const conn = await mock.waitForConnection();
    const info = await conn.error('Session expired', { code: '401' });
    expect(info.code).toBe(1002);
    const error = await app.next('stomp-error');
    expect(error.frame.headers).toMatchObject({ message: 'Session expired', code: '401' });
    expect(error.frame.body).toBe('Session expired');
    await expect(conn.error('again')).rejects.toThrow(/closed/);
    const second = await mock.waitForConnection();
    expect(second.connection.isOpen).toBe(true);
  });
});

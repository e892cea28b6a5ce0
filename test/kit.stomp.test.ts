// The STOMP kit with the real @stomp/stompjs client over WebSocket.
import { afterEach, describe, expect, it } from 'vitest';
import { deactivateClients, stompClient } from './helpers/stomp.js';
import { useMockServer } from './helpers/server.js';

const server = useMockServer();
afterEach(() => deactivateClients());

describe('issue 25: STOMP over WebSocket with @stomp/stompjs', () => {
  it('connects with headers, subscribes, and gets what the mock publishes', async () => {
    const stomp = server.stomp('/ws');
    const app = stompClient(stomp.url, { connectHeaders: { login: 'ada', passcode: 'secret' } });
    const connected = await app.next('connect');
    expect(connected.frame.headers.version).toBe('1.2');
    const conn = await stomp.waitForConnection();
    expect(conn.headers.login).toBe('ada');
    app.subscribe('/topic/news');
    const sub = await stomp.waitForSubscribe('/topic/news');
    expect(sub.id).toMatch(/^sub-/);
    expect(stomp.publish('/topic/news', { headline: 'hi' })).toBe(1);
    const { message } = await app.next('message');
    expect(JSON.parse(message.body)).toEqual({ headline: 'hi' });
    expect(message.headers.subscription).toBe(sub.id);
    expect(message.headers['content-type']).toBe('application/json');
  });
});

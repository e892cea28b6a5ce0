//
// The reference guide's four example mocks, loaded as configs and driven the
// way the guide's transcripts and comments show.
//
import { describe, expect, it } from 'vitest';
import { envelopeToConfig, validateEnvelope, type MockEnvelope } from '../src/index.js';
import { chatRoom, graphqlWs, notifications, stockTicker, withScenarioDelays } from './fixtures/guide-examples.js';
import { connect } from './helpers/client.js';
import { useMockServer } from './helpers/server.js';

const server = useMockServer();

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Loads an envelope the way a config file or the admin API would. */
function load(envelope: MockEnvelope) {
  return server.websocket(envelopeToConfig(validateEnvelope(envelope)));
}

describe('Chat Application', () => {
  it('answers the mockd CLI transcript: join, then help', async () => {
    load(chatRoom);
    const client = await connect(`${server.url}/ws/chat`);
    // > {"type": "join", "username": "testuser"}
    // < {"type": "joined", "message": "Welcome to the chat room!", "timestamp": "..."}
    const joined = await client.askJson('{"type": "join", "username": "testuser"}');
    expect(joined).toEqual({ type: 'joined', message: 'Welcome to the chat room!', timestamp: expect.stringMatching(ISO) });
    // > help
    // < Available commands: ...
    const help = await client.ask('help');
    expect(help.startsWith('Available commands:\n')).toBe(true);
    expect(help).toContain('- {"type": "join", "username": "..."}: Join chat\n');
    expect(help.endsWith('- help: Show this help\n')).toBe(true);
  });

  it('answers the wscat transcript as its config says: "ping" has no matcher, so it gets the default error', async () => {
    // The guide's wscat session shows "< pong" for "ping", but the chat room
    // config has no ping matcher: wsmock does what the config says.
    load(chatRoom);
    const client = await connect(`${server.url}/ws/chat`);
    expect(await client.askJson('ping')).toEqual({ type: 'error', message: "Unknown command. Type 'help' for available commands." });
    expect(await client.askJson('{"type": "join", "username": "alice"}')).toMatchObject({ type: 'joined', message: 'Welcome to the chat room!' });
  });

  it('answers every rule of the config, negotiates its subprotocols and keeps typing silent', async () => {
    const mock = load(chatRoom);
    const client = await connect(`${server.url}/ws/chat`, { protocols: ['json'] });
    expect(client.protocol).toBe('json');
    const ack = await client.askJson({ type: 'message', content: 'hi' });
    expect(ack).toEqual({ type: 'message_ack', id: expect.stringMatching(UUID), timestamp: expect.stringMatching(ISO) });
    client.send({ type: 'typing' });
    const status = await client.askJson('status');
    expect(status).toEqual({ type: 'status', users: 42, uptime: expect.stringMatching(/^\d{10}$/) });
    expect(await client.askJson({ type: 'leave' })).toEqual({ type: 'left', message: 'Goodbye!' });
    expect(await client.askJson({ type: 'dance' })).toMatchObject({ type: 'error' });
    const conn = (await mock.waitForConnection());
    expect(conn.received.map((m) => m.text)).toContain('{"type":"typing"}');
    expect(conn.info.messagesSent).toBe(4);
  });

  it('passes the guide\'s JavaScript integration test (JSON part)', async () => {
    load(chatRoom);
    const client = await connect(`${server.url}/ws/chat`);
    const response = await client.askJson<{ type: string; message: string }>(JSON.stringify({ type: 'join', username: 'testuser' }));
    expect(response.type).toBe('joined');
    expect(response.message).toContain('Welcome');
  });
});

describe('Notification Service', () => {
  it('loads as written (10 s loop)', async () => {
    const mock = load(notifications);
    const client = await connect(mock.url);
    const conn = await mock.waitForConnection();
    expect(conn.info.scenario).toEqual({ name: 'notification-stream', step: 0, status: 'running' });
    expect(await client.askJson({ action: 'subscribe', channel: 'news' })).toEqual({ action: 'subscribed', channel: 'news' });
  });

  it('confirms subscriptions with the channel and pushes notifications periodically', async () => {
    const mock = load(withScenarioDelays(notifications, 30));
    const client = await connect(mock.url);
    client.send({ action: 'subscribe', channel: 'alerts' });
    const { value: subscribed } = await client.nextWhere((m) => m.action !== undefined);
    expect(subscribed).toEqual({ action: 'subscribed', channel: 'alerts' });
    const seen = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const { value } = await client.nextWhere((m) => m.type === 'notification');
      expect(value).toEqual({
        type: 'notification',
        id: expect.stringMatching(UUID),
        title: 'New update available',
        body: 'Check out the latest features',
        timestamp: expect.stringMatching(ISO),
      });
      seen.add(value.id);
    }
    expect(seen.size).toBe(3);
    client.send({ action: 'unsubscribe', channel: 'alerts' });
    const { value: unsubscribed } = await client.nextWhere((m) => m.action !== undefined);
    expect(unsubscribed).toEqual({ action: 'unsubscribed', channel: 'alerts' });
  });
});

describe('Real-Time Data Feed', () => {
  it('loads as written (1 s loop)', async () => {
    const mock = load(stockTicker);
    const client = await connect(mock.url);
    expect(await client.askJson({ action: 'subscribe', symbol: 'AAPL' })).toEqual({
      action: 'subscribed',
      symbol: 'AAPL',
      message: 'You will receive updates for this symbol',
    });
    const conn = await mock.waitForConnection();
    expect(conn.info.scenario).toEqual({ name: 'price-updates', step: 0, status: 'running' });
  });

  it('confirms the symbol and streams price updates', async () => {
    const mock = load(withScenarioDelays(stockTicker, 20));
    const client = await connect(mock.url);
    client.send({ action: 'subscribe', symbol: 'ACME' });
    const { value: subscribed } = await client.nextWhere((m) => m.action === 'subscribed');
    expect(subscribed.symbol).toBe('ACME');
    for (let i = 0; i < 3; i++) {
      const { value } = await client.nextWhere((m) => m.type === 'price_update');
      expect(value).toEqual({
        type: 'price_update',
        symbol: 'MOCK',
        price: 123.45,
        change: 1.23,
        volume: 1000000,
        timestamp: expect.stringMatching(ISO),
      });
    }
  });
});

describe('GraphQL Subscriptions', () => {
  it('requires one of its subprotocols', async () => {
    load(graphqlWs);
    await expect(connect(`${server.url}/graphql`)).rejects.toThrow('HTTP 400');
    await expect(connect(`${server.url}/graphql`, { protocols: ['other'] })).rejects.toThrow('HTTP 400');
  });

  it('runs the handshake, a subscription and a ping', async () => {
    load(graphqlWs);
    const client = await connect(`${server.url}/graphql`, { protocols: ['graphql-transport-ws'] });
    expect(client.protocol).toBe('graphql-transport-ws');
    expect(await client.askJson({ type: 'connection_init', payload: {} })).toEqual({ type: 'connection_ack' });
    const next = await client.askJson({ id: 'sub-1', type: 'subscribe', payload: { query: 'subscription { onMessage { id content } }' } });
    expect(next).toEqual({
      type: 'next',
      id: 'sub-1',
      payload: { data: { onMessage: { id: expect.stringMatching(UUID), content: 'Subscription active' } } },
    });
    expect(await client.askJson({ type: 'ping' })).toEqual({ type: 'pong' });
  });

  it('accepts the legacy graphql-ws protocol too', async () => {
    load(graphqlWs);
    const client = await connect(`${server.url}/graphql`, { protocols: ['graphql-ws'] });
    expect(client.protocol).toBe('graphql-ws');
    expect(await client.askJson({ type: 'connection_init' })).toEqual({ type: 'connection_ack' });
  });
});

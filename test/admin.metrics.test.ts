import { describe, expect, it } from 'vitest';
import type { MockServer } from '../src/index.js';
import { call } from './helpers/admin.js';
import { connect, refusal } from './helpers/client.js';
import { useServers } from './helpers/server.js';

const start = useServers({ admin: true });

/** Parses the Prometheus text format into `name{labels}` → value. */
async function scrape(server: MockServer): Promise<Map<string, number>> {
  const res = await call(server.adminUrl!, 'GET', '/metrics');
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  const samples = new Map<string, number>();
  for (const line of res.text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    samples.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return samples;
}

describe('GET /metrics', () => {
  it('counts what the clients did, in agreement with /websocket/stats', async () => {
    const server = await start();
    const chat = server.websocket({ id: 'chat', path: '/chat' });
    server.websocket({ id: 'feed', path: '/feed' });
    server.websocket({ id: 'off', path: '/off', enabled: false });

    const a = await connect(`${server.url}/chat`);
    const b = await connect(`${server.url}/chat`);
    const f = await connect(`${server.url}/feed`);
    await a.send('hello'); // echoed: 5 bytes in, 5 out
    await a.frame();
    await f.send(Buffer.from([1, 2, 3])); // 3 in, 3 out
    await f.frame();
    expect((await refusal(`${server.url}/nowhere`)).status).toBe(404);
    expect((await refusal(`${server.url}/off`)).status).toBe(503);
    const connB = chat.connections[1]!;
    await server.connections.close(connB.id, { code: 4000 });
    expect((await b.closed).code).toBe(4000);

    const m = await scrape(server);
    expect(m.get('wsmock_connections_total{mock_id="chat",type="websocket"}')).toBe(2);
    expect(m.get('wsmock_connections_total{mock_id="feed",type="websocket"}')).toBe(1);
    expect(m.get('wsmock_connections_total{mock_id="off",type="websocket"}')).toBe(0);
    expect(m.get('wsmock_active_connections{mock_id="chat",type="websocket"}')).toBe(1);
    expect(m.get('wsmock_active_connections{mock_id="feed",type="websocket"}')).toBe(1);
    expect(m.get('wsmock_active_connections{mock_id="off",type="websocket"}')).toBe(0);
    expect(m.get('wsmock_messages_received_total{mock_id="chat",type="websocket"}')).toBe(1);
    expect(m.get('wsmock_messages_sent_total{mock_id="chat",type="websocket"}')).toBe(1);
    expect(m.get('wsmock_received_bytes_total{mock_id="chat",type="websocket"}')).toBe(5);
    expect(m.get('wsmock_sent_bytes_total{mock_id="feed",type="websocket"}')).toBe(3);
    expect(m.get('wsmock_connections_rejected_total{mock_id="",reason="websocket_endpoint_not_found"}')).toBe(1);
    expect(m.get('wsmock_connections_rejected_total{mock_id="off",reason="endpoint_disabled"}')).toBe(1);
    expect(m.get('wsmock_disconnections_total{mock_id="chat",type="websocket",code="4000"}')).toBe(1);

    const stats = (await call(server.adminUrl!, 'GET', '/websocket/stats')).body;
    const sum = (name: string) => [...m].filter(([k]) => k.startsWith(`${name}{`)).reduce((total, [, v]) => total + v, 0);
    expect(sum('wsmock_connections_total')).toBe(stats.totalConnections);
    expect(sum('wsmock_active_connections')).toBe(stats.activeConnections);
    expect(sum('wsmock_connections_rejected_total')).toBe(stats.rejectedConnections);
    expect(sum('wsmock_messages_received_total')).toBe(stats.totalMessagesRecv);
    expect(sum('wsmock_messages_sent_total')).toBe(stats.totalMessagesSent);
    expect(sum('wsmock_received_bytes_total')).toBe(stats.totalBytesRecv);
    expect(sum('wsmock_sent_bytes_total')).toBe(stats.totalBytesSent);
  });

  it('counts disconnections by close code, including 1012 from a mock update over HTTP', async () => {
    const server = await start();
    server.websocket({ id: 'chat', path: '/chat' });
    const a = await connect(`${server.url}/chat`);
    const res = await call(server.adminUrl!, 'PATCH', '/mocks/chat', { body: { name: 'v2' } });
    expect(res.status).toBe(200);
    expect((await a.closed).code).toBe(1012);
    const m = await scrape(server);
    expect(m.get('wsmock_disconnections_total{mock_id="chat",type="websocket",code="1012"}')).toBe(1);
    expect(m.get('wsmock_active_connections{mock_id="chat",type="websocket"}')).toBe(0);
  });

  it('keeps a registry per server: two servers never mix figures', async () => {
    const one = await start();
    const two = await start();
    one.websocket({ id: 'same', path: '/same' });
    two.websocket({ id: 'same', path: '/same' });
    await connect(`${one.url}/same`);
    await connect(`${one.url}/same`);
    await connect(`${two.url}/same`);
    expect((await scrape(one)).get('wsmock_connections_total{mock_id="same",type="websocket"}')).toBe(2);
    expect((await scrape(two)).get('wsmock_connections_total{mock_id="same",type="websocket"}')).toBe(1);
  });

  it('starts again from zero after reset(), like the stats', async () => {
    const server = await start();
    server.websocket({ id: 'chat', path: '/chat' });
    const a = await connect(`${server.url}/chat`);
    await a.send('x');
    await a.frame();
    expect((await scrape(server)).get('wsmock_messages_received_total{mock_id="chat",type="websocket"}')).toBe(1);
    await server.reset();
    const m = await scrape(server);
    expect([...m].filter(([, v]) => v !== 0)).toEqual([]);
    expect(server.stats().totalMessagesRecv).toBe(0);
    server.websocket({ id: 'chat', path: '/chat' });
    await connect(`${server.url}/chat`);
    expect((await scrape(server)).get('wsmock_connections_total{mock_id="chat",type="websocket"}')).toBe(1);
  });

  it('exposes HELP and TYPE lines, counters ending in _total', async () => {
    const server = await start();
    const res = await call(server.adminUrl!, 'GET', '/metrics');
    const types = [...res.text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map(([, name, type]) => `${name} ${type}`);
    expect(types.sort()).toEqual([
      'wsmock_active_connections gauge',
      'wsmock_connections_rejected_total counter',
      'wsmock_connections_total counter',
      'wsmock_contract_violations_total counter',
      'wsmock_disconnections_total counter',
      'wsmock_faults_total counter',
      'wsmock_messages_received_total counter',
      'wsmock_messages_sent_total counter',
      'wsmock_received_bytes_total counter',
      'wsmock_sent_bytes_total counter',
      'wsmock_upstream_late_frames_total counter',
      'wsmock_upstream_messages_received_total counter',
      'wsmock_upstream_messages_sent_total counter',
      'wsmock_upstream_received_bytes_total counter',
      'wsmock_upstream_sent_bytes_total counter',
    ]);
  });
});

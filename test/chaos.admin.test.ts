import { afterEach, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { loadConfigFiles } from '../src/index.js';
import { adminClient, call } from './helpers/admin.js';
import { connect, refusal } from './helpers/client.js';
import { runCli, startServe, type Serving } from './helpers/cli.js';
import { scratchDir } from './helpers/files.js';
import { useServers } from './helpers/server.js';

// Chaos over the admin API, in /metrics, in config files and `wsmock serve --chaos`.
const start = useServers({ admin: true });
const { file } = scratchDir('wsmock-chaos-');
const running: Serving[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});

describe('chaos over the admin API', () => {
  it('PUT /mocks/{id}/chaos applies to the next frame without disconnecting; null turns it off', async () => {
    const server = await start({ seed: 42 });
    const api = adminClient(server.adminUrl!);
    const mock = server.websocket({ id: 'feed', path: '/feed', echoMode: false });
    const client = await connect(mock.url);
    const conn = await mock.waitForConnection();

    const put = await api.put('/mocks/feed/chaos', { drop: 1, only: { type: 'exact', value: 'lost' } });
    expect(put.status).toBe(200);
    expect(put.body.mock.websocket.chaos).toEqual({ drop: 1, only: { type: 'exact', value: 'lost' } });
    await conn.send('lost');
    await conn.send('kept');
    expect(await client.next()).toBe('kept');

    expect((await api.put('/mocks/feed/chaos', null)).body.mock.websocket.chaos).toBeNull();
    await conn.send('lost');
    expect(await client.next()).toBe('lost');
    expect(conn.isOpen).toBe(true);
    expect((await api.get('/mocks/feed')).body.websocket.chaos).toBeNull();
  });

  it('PUT /chaos sets every mock’s default; GET /chaos reads it with the seed', async () => {
    const server = await start({ seed: 43 });
    const api = adminClient(server.adminUrl!);
    server.websocket({ id: 'a', path: '/a' });
    const put = await api.put('/chaos', { refuse: { first: 1, status: 502 } });
    expect(put.body).toEqual({ chaos: { refuse: { first: 1, status: 502 } }, seed: 43 });
    expect((await refusal(`${server.url}/a`)).status).toBe(502);
    await connect(`${server.url}/a`);
    expect((await api.get('/chaos')).body).toEqual({ chaos: { refuse: { first: 1, status: 502 } }, seed: 43 });
    expect((await api.put('/chaos', null)).body.chaos).toBeNull();
  });

  it('answers bad chaos with 400 validation_error and details, leaving the running chaos unchanged', async () => {
    const server = await start({ chaos: { drop: 0.25 } });
    const api = adminClient(server.adminUrl!);
    server.websocket({ id: 'm', path: '/m', chaos: { duplicate: 0.5 } });
    for (const [path, body, field] of [
      ['/chaos', { drop: 2 }, 'drop'],
      ['/chaos', { reorder: { window: 1 } }, 'reorder.window'],
      ['/mocks/m/chaos', { delay: { min: '20ms', max: '10ms' } }, 'delay'],
      ['/mocks/m/chaos', { drop: 0.1, nonsense: true }, 'nonsense'],
      ['/mocks/m/chaos', [1], ''],
    ] as const) {
      const res = await api.put(path, body);
      expect(res.status, `${path} ${JSON.stringify(body)}`).toBe(400);
      expect(res.body.error).toBe('validation_error');
      expect(res.body.details.map((d: { path: string }) => d.path)).toContain(field);
    }
    expect(server.chaosOptions).toEqual({ drop: 0.25 });
    expect(server.mocks.get('m')!.config).toMatchObject({ chaos: { duplicate: 0.5 } });
    expect((await api.put('/mocks/nope/chaos', null)).status).toBe(404);
  });

  it('counts faults in /metrics as wsmock_faults_total{kind} and in /websocket/stats', async () => {
    const server = await start({ seed: 44 });
    const mock = server.websocket({ id: 'f', path: '/f', echoMode: false, chaos: { duplicate: 1, refuse: { first: 1 } } });
    await refusal(mock.url);
    const client = await connect(mock.url);
    const conn = await mock.waitForConnection();
    await conn.send('x');
    await client.frame();
    await client.frame();
    const metrics = await call(server.adminUrl!, 'GET', '/metrics');
    expect(metrics.text).toContain('# TYPE wsmock_faults_total counter');
    expect(metrics.text).toContain('wsmock_faults_total{kind="duplicate"} 1');
    expect(metrics.text).toContain('wsmock_faults_total{kind="refuse"} 1');
    const stats = await call(server.adminUrl!, 'GET', '/websocket/stats');
    expect(stats.body.faults).toEqual({ duplicate: 1, refuse: 1 });
  });
});

describe('chaos in config files and wsmock serve', () => {
  it('reads chaos on a mock and as the server default from a config file', async () => {
    const config = file(
      'chaos.yaml',
      YAML.stringify({
        version: '1.0',
        server: { seed: 7, chaos: { drop: 0.1 } },
        mocks: [{ id: 'feed', type: 'websocket', websocket: { path: '/feed', chaos: { delay: '5ms', direction: 'both' } } }],
      }),
    );
    const loaded = await loadConfigFiles([config]);
    expect(loaded.server).toMatchObject({ seed: 7, chaos: { drop: 0.1 } });
    expect(loaded.mocks[0]).toMatchObject({ websocket: { chaos: { delay: '5ms', direction: 'both' } } });
    const bad = file('bad.yaml', YAML.stringify({ version: '1.0', mocks: [{ type: 'websocket', websocket: { path: '/x', chaos: { drop: -1 } } }] }));
    await expect(loadConfigFiles([bad])).rejects.toThrow(/mocks\[0\]\.websocket\.chaos\.drop/);
  });

  it('wsmock serve --chaos refuses a bad chaos file naming the field, before listening', async () => {
    const bad = file('bad-chaos.json', JSON.stringify({ reorder: { window: 1 }, drop: 3 }));
    const result = await runCli(['serve', '--port', '0', '--no-admin', '--chaos', bad]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('reorder.window');
    expect(result.stderr).toContain('drop');
    expect(result.stdout).not.toContain('listening');
  });

  it('wsmock serve --chaos FILE --seed N runs every mock with that chaos', async () => {
    const chaos = file('chaos.yml', 'refuse:\n  first: 1\n  status: 503\n');
    const s = await startServe(['--port', '0', '--no-admin', '--chaos', chaos, '--seed', '99']);
    running.push(s);
    // Printed after the mock list, which is all startServe waits for.
    await s.waitForOutput('chaos on: seed 99 (--seed 99 replays it)\n');
    expect((await refusal(`${s.wsUrl}/ws`)).status).toBe(503);
    const client = await connect(`${s.wsUrl}/ws`);
    client.send('hi');
    expect(await client.next()).toBe('hi');
    await client.close();
  });
});

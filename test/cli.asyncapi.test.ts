//
// Issue 26, the command line: `wsmock serve --asyncapi FILE [--report OUT]`
// (mocks from the contract, violations in serve's log, the coverage report
// written at shutdown) and `wsmock asyncapi to-config FILE` (the mocks as an
// editable config file that loads back and serves the same answers).
//
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { loadConfigFiles } from '../src/config/load.js';
import { connect } from './helpers/client.js';
import { runCli, useServe } from './helpers/cli.js';
import { scratchDir } from './helpers/files.js';
import { fixture } from './helpers/asyncapiFixtures.js';

const { dir, file } = scratchDir('wsmock-cli-asyncapi-');
const serve = useServe();

describe('issue 26: wsmock serve --asyncapi', () => {
  it('serves the contract, answers from it, logs each violation, and writes --report when SIGTERM shuts it down', async () => {
    const report = `${dir}/coverage.json`;
    const s = await serve(['--asyncapi', fixture('kraken-3.0.yaml'), '--report', report, '--port', '0', '--no-admin']);
    expect(s.output()).toMatch(/mocks:\n {2}\S+ +ws:\/\/127\.0\.0\.1:\d+\/\n/);
    expect(s.output()).not.toContain('/ws\n');
    const client = await connect(`${s.wsUrl}/`);
    expect(await client.askJson({ event: 'ping', reqid: 3 })).toEqual({ event: 'pong', reqid: 3 });
    await client.send({ event: 'subscribe', subscription: { name: 'tickers' } });
    await s.waitForOutput(/✗ conn-\d+ ↓ subscribe \$\.subscription\.name must be one of "book", "ohlc"/);
    await client.close();
    expect(await s.stop()).toEqual({ code: 0, signal: null });
    expect(s.output()).toContain(`wrote the contract report to ${report}`);
    const written = JSON.parse(readFileSync(report, 'utf8'));
    const [kraken] = written.contracts;
    expect(kraken.title).toBe('Kraken WebSocket API');
    expect(kraken.operations.find((op: { id: string }) => op.id === 'ping')).toMatchObject({ seen: true, count: 1, reply: { seen: true, count: 1 } });
    expect(kraken.operations.find((op: { id: string }) => op.id === 'unsubscribe')).toMatchObject({ seen: false, count: 0 });
    expect(kraken.violations).toBe(1);
  });

  it('--json-log writes a violation as a contract:violation event with its errors', async () => {
    const s = await serve(['--asyncapi', fixture('kraken-2.6.yaml'), '--port', '0', '--no-admin', '--json-log']);
    const client = await connect(`${s.wsUrl}/`);
    await client.send({ event: 'ping', reqid: 'x' });
    await s.waitForOutput(/"event":"contract:violation"/);
    const line = s
      .output()
      .split('\n')
      .find((l) => l.includes('"contract:violation"'))!;
    expect(JSON.parse(line)).toMatchObject({ direction: 'in', message: 'ping', errors: [{ path: '$.reqid', keyword: 'type' }], frame: '{"event":"ping","reqid":"x"}' });
    await client.close();
  });

  it('an invalid contract exits 1 naming the file and the JSON path, before anything listens', async () => {
    const broken = file('broken.yaml', 'asyncapi: 3.0.0\ninfo:\n  title: Broken\nchannels: {}\n');
    const { code, stdout, stderr } = await runCli(['serve', '--asyncapi', broken, '--port', '0', '--no-admin']);
    expect(code).toBe(1);
    expect(stdout).not.toContain('listening');
    expect(stderr).toContain(broken);
    expect(stderr).toMatch(/\$\.info/);
  });
});

describe('issue 26: wsmock asyncapi to-config', () => {
  it.each(['kraken-2.6.yaml', 'kraken-3.0.yaml', 'gemini-2.6.yaml', 'gemini-3.0.yaml'])('prints %s as a config that loads back as a valid config', async (name) => {
    const { code, stdout, stderr } = await runCli(['asyncapi', 'to-config', fixture(name)]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^# Made by wsmock asyncapi to-config from test\/fixtures\/asyncapi\/[a-z0-9.-]+ \(/);
    const parsed = YAML.parse(stdout);
    expect(parsed.mocks.every((m: { type: string; websocket: { contract: { replies: boolean } } }) => m.type === 'websocket' && m.websocket.contract.replies === true)).toBe(true);
    const config = await loadConfigFiles([file(`${name}.config.yaml`, stdout)]);
    expect(config.mocks.length).toBe(parsed.mocks.length);
  });

  it("lists what each mock answers and may send, with the contract's values, and serves the same answers", async () => {
    const { stdout } = await runCli(['asyncapi', 'to-config', fixture('kraken-3.0.yaml')]);
    expect(stdout).toContain('# Mock "root" (channels ping, pong, subscribe, unsubscribe, subscriptionStatus, heartbeat, systemStatus):');
    expect(stdout).toContain('#   ping: ping is answered with pong (reqid copied from the request): {"event":"pong"}');
    expect(stdout).toContain('#   systemStatus: the server may send systemStatus: {"event":"systemStatus","connectionID":5476361209,"status":"online","version":"1.9.0"}');
    expect(stdout).toContain('# Warning: $.components.messages.subscriptionStatus.examples[1]');
    const config = file('kraken.config.yaml', stdout);
    const s = await serve(['--config', config, '--port', '0', '--no-admin']);
    const client = await connect(`${s.wsUrl}/`);
    expect(await client.askJson({ event: 'ping', reqid: 5 })).toEqual({ event: 'pong', reqid: 5 });
    await client.close();
  });

  it('--out writes the file; a missing FILE is a usage error', async () => {
    const out = `${dir}/gemini.yaml`;
    const written = await runCli(['asyncapi', 'to-config', fixture('gemini-3.0.yaml'), '--out', out]);
    expect(written).toMatchObject({ code: 0, stdout: `wrote ${out}\n` });
    expect(YAML.parse(readFileSync(out, 'utf8')).mocks[0].websocket.path).toBe('/v1/marketdata/:symbol');
    const usage = await runCli(['asyncapi', 'to-config']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('Give one AsyncAPI FILE.');
  });
});

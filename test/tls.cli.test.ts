import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { runCli, useServe } from './helpers/cli.js';
import { scratchDir } from './helpers/files.js';
import { caIssuedPair, closeWs, nextText, openWss, selfSignedPair, type Pair } from './helpers/tls.js';

const { dir, file } = scratchDir('wsmock-tls-cli-');
const serve = useServe();

let own: Pair;
let other: Pair;
beforeAll(async () => {
  [own, other] = await Promise.all([selfSignedPair(), caIssuedPair()]);
});

async function echoes(url: string, ca: string): Promise<string> {
  const client = await openWss(url, ca);
  client.send('over tls');
  const reply = await nextText(client);
  await closeWs(client);
  return reply;
}

describe('wsmock serve --tls', () => {
  it('serves wss:// with an ephemeral CA written to --tls-ca-out, which a real client trusts; the admin API stays http', async () => {
    const caOut = join(dir, 'ca-out.pem');
    const s = await serve(['--tls', '--tls-ca-out', caOut, '--port', '0', '--admin-port', '0']);
    expect(s.output()).toMatch(/^wsmock listening on wss:\/\/127\.0\.0\.1:\d+\nadmin API on http:\/\/127\.0\.0\.1:\d+\ndashboard on http:\/\/127\.0\.0\.1:\d+\/\nTLS CA written to .*ca-out\.pem \(trust it: NODE_EXTRA_CA_CERTS=.*\)\nmocks:\n  echo +wss:\/\/127\.0\.0\.1:\d+\/ws\n/);
    const ca = readFileSync(caOut, 'utf8');
    expect(new X509Certificate(ca).ca).toBe(true);
    expect(await echoes(`${s.wsUrl}/ws`, ca)).toBe('over tls');
    await expect(openWss(`${s.wsUrl}/ws`)).rejects.toMatchObject({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
    expect(await (await fetch(`${s.adminUrl}/health`)).json()).toEqual({ status: 'ok' });
    // wsmock's own client commands trust it the Node way.
    const sent = await runCli(['send', `${s.wsUrl}/ws`, 'hello'], { env: { NODE_EXTRA_CA_CERTS: caOut } });
    expect(sent).toMatchObject({ code: 0, stdout: 'hello\n' });
  });

  it('without --tls-ca-out says how to get the CA', async () => {
    const s = await serve(['--tls', '--port', '0', '--no-admin']);
    expect(s.output()).toContain('TLS on: pass --tls-ca-out FILE to write the CA clients should trust\n');
  });

  it('--tls-cert and --tls-key serve your own pair; --tls-ca-out writes its --tls-ca', async () => {
    const caOut = join(dir, 'issued-ca-out.pem');
    const s = await serve([
      ...['--tls-cert', file('issued.pem', other.cert), '--tls-key', file('issued.key', other.key), '--tls-ca', file('issuer.pem', other.ca)],
      ...['--tls-ca-out', caOut, '--port', '0', '--no-admin'],
    ]);
    expect(readFileSync(caOut, 'utf8')).toBe(other.ca);
    expect(await echoes(`${s.wsUrl}/ws`, other.ca)).toBe('over tls');
  });

  it("a config file's server.tls takes file paths relative to the file", async () => {
    file('own.pem', own.cert);
    file('own.key', own.key);
    const config = file('tls.yaml', YAML.stringify({ version: '1.0', server: { tls: { cert: './own.pem', key: 'own.key' } }, mocks: [{ id: 'feed', type: 'websocket', websocket: { path: '/feed' } }] }));
    const s = await serve(['--config', config, '--port', '0', '--no-admin']);
    expect(s.wsUrl).toMatch(/^wss:\/\//);
    expect(await echoes(`${s.wsUrl}/feed`, own.cert)).toBe('over tls');
  });
});

describe('wsmock serve: bad TLS input exits before listening, naming the flag or field', () => {
  it('a key that does not match the certificate', async () => {
    const r = await runCli(['serve', '--tls-cert', file('a.pem', own.cert), '--tls-key', file('b.key', other.key), '--port', '0', '--no-admin']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/Invalid TLS files: 1 problem\n {2}- --tls-key: .*b\.key does not match the certificate in "cert"/);
  });

  it('an unreadable file, garbage PEM', async () => {
    const missing = await runCli(['serve', '--tls-cert', join(dir, 'nope.pem'), '--tls-key', file('c.key', own.key), '--port', '0']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/--tls-cert: cannot read .*nope\.pem: ENOENT/);
    const garbage = await runCli(['serve', '--tls-cert', file('garbage.pem', 'hello'), '--tls-key', file('d.key', own.key), '--port', '0']);
    expect(garbage.code).toBe(1);
    expect(garbage.stderr).toMatch(/--tls-cert: .*garbage\.pem is not a PEM certificate/);
  });

  it('a config file whose server.tls key does not match', async () => {
    file('mine.pem', own.cert);
    file('theirs.key', other.key);
    const config = file('bad-tls.yaml', YAML.stringify({ version: '1.0', server: { tls: { cert: 'mine.pem', key: 'theirs.key' } } }));
    const r = await runCli(['serve', '--config', config, '--port', '0']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/server\.tls\.key: .*theirs\.key does not match the certificate/);
    const wrongType = await runCli(['serve', '--config', file('bad-type.yaml', 'version: "1.0"\nserver: { tls: yes-please }\n'), '--port', '0']);
    expect(wrongType.code).toBe(1);
    expect(wrongType.stderr).toContain('server.tls: must be true, false or { cert, key, ca? } (file paths)');
  });

  it('flags that do not go together are usage errors (exit 2)', async () => {
    const lone = await runCli(['serve', '--tls-cert', 'x.pem']);
    expect(lone.code).toBe(2);
    expect(lone.stderr).toContain('--tls-cert and --tls-key go together: give both files.');
    const out = await runCli(['serve', '--tls-ca-out', 'ca.pem']);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('--tls-ca-out writes the CA of a TLS server: add --tls (or --tls-cert and --tls-key).');
  });
});

import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { root } from './helpers/pack.js';

// A server without the admin API does not load prom-client (nor the admin
// listener): the built package, in a process of its own.
const run = promisify(execFile);
const probe = join(root, 'test', 'fixtures', 'lazy', 'probe.cjs');

async function loaded(how: 'require' | 'import', mode: 'none' | 'admin' | 'scrape'): Promise<boolean> {
  const { stdout } = await run(process.execPath, [probe, how, mode], { timeout: 20_000 });
  return (JSON.parse(stdout) as { promClient: boolean }).promClient;
}

describe('the admin adapter loads lazily', () => {
  it.each(['require', 'import'] as const)('a server without admin does not load prom-client (%s)', async (how) => {
    expect(await loaded(how, 'none')).toBe(false);
  });

  it.each(['require', 'import'] as const)('prom-client is loaded by the first scrape of /metrics, not before (%s)', async (how) => {
    expect(await loaded(how, 'admin')).toBe(false);
    expect(await loaded(how, 'scrape')).toBe(true);
  });
});

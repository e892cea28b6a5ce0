//
// ajv, ajv-formats and @asyncapi/specs are imported when a contract is first
// loaded, never before: a server without AsyncAPI does not load them. The
// built package, ES module and CommonJS builds, each in a process of its own.
//
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { root } from './helpers/pack.js';

const run = promisify(execFile);
const probe = join(root, 'test', 'fixtures', 'lazy', 'asyncapi.cjs');

async function probeRun(how: 'require' | 'import', mode: 'none' | 'contract'): Promise<{ loaded: Record<string, boolean>; channels?: string[] }> {
  const { stdout } = await run(process.execPath, [probe, how, mode], { timeout: 30_000 });
  return JSON.parse(stdout) as { loaded: Record<string, boolean>; channels?: string[] };
}

describe('issue 26: the AsyncAPI packages load lazily', () => {
  it.each(['require', 'import'] as const)('a server without a contract loads none of ajv, ajv-formats, @asyncapi/specs (%s)', async (how) => {
    expect(await probeRun(how, 'none')).toEqual({ loaded: { ajv: false, 'ajv-formats': false, '@asyncapi/specs': false } });
  });

  it.each(['require', 'import'] as const)('loadAsyncApi loads them, and works from that build (%s)', async (how) => {
    expect(await probeRun(how, 'contract')).toEqual({ loaded: { ajv: true, 'ajv-formats': true, '@asyncapi/specs': true }, channels: ['/echo'] });
  });
});

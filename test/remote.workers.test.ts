import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from './helpers/pack.js';

/** Runs the nested Vitest of test/fixtures/remote-workers to completion. */
function nestedRun(): Promise<{ code: number | null; output: string }> {
  const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
  const config = join(root, 'test', 'fixtures', 'remote-workers', 'vitest.config.ts');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [vitest, 'run', '--config', config, '--maxWorkers', '3', '--reporter', 'verbose'], { cwd: root, env: { ...process.env, CI: '1', NO_COLOR: '1', FORCE_COLOR: '0' } });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d));
    child.stderr.on('data', (d: Buffer) => (output += d));
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('issue 27: remote handles from parallel Vitest workers', () => {
  it('three files in forked workers share one wsmock serve (globalSetup + provide/inject), each test taking its own connection by query', async () => {
    const { code, output } = await nestedRun();
    expect(output).toMatch(/Test Files\s+3 passed \(3\)/);
    expect(output).toMatch(/Tests\s+9 passed \(9\)/);
    expect(code).toBe(0);
  }, 120_000);
});

import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { root } from './pack.js';

export const CLI = join(root, 'dist', 'cli.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built `wsmock` binary to completion. */
export function runCli(args: string[], options: { env?: Record<string, string>; cwd?: string } = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd ?? root, env: { ...process.env, ...options.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A running `wsmock serve`: its URLs, its output so far, and how to stop it. */
export interface Serving {
  child: ChildProcess;
  wsUrl: string;
  adminUrl: string | undefined;
  output: () => string;
  /** Resolves when the output contains `text` (event-driven: checked on every chunk). */
  waitForOutput: (text: string | RegExp) => Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop: () => Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `wsmock serve` (in the repository root unless `options.cwd` says otherwise) and resolves once it prints where it listens. */
export function startServe(args: string[], options: { cwd?: string } = {}): Promise<Serving> {
  const child = spawn(process.execPath, [CLI, 'serve', ...args], { cwd: options.cwd ?? root });
  let output = '';
  const watchers = new Set<() => void>();
  const onData = (d: Buffer) => {
    output += d;
    for (const w of [...watchers]) w();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      resolve({ code, signal });
      for (const w of [...watchers]) w();
    }),
  );
  let exitedYet = false;
  void exited.then(() => (exitedYet = true));
  const waitForOutput = (text: string | RegExp) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        const found = typeof text === 'string' ? output.includes(text) : text.test(output);
        if (found) {
          watchers.delete(check);
          resolve();
        } else if (exitedYet || child.exitCode !== null) {
          watchers.delete(check);
          reject(new Error(`wsmock serve exited before printing ${String(text)}:\n${output}`));
        }
      };
      watchers.add(check);
      check();
    });
  // `mocks:` is printed after both URLs; with --json-log, one `listening` line says it all.
  return waitForOutput(/mocks:\n|"event":"listening".*\n/).then(() => ({
    child,
    wsUrl: /wsmock listening on (wss?:\/\/\S+)|"url":"(wss?:\/\/[^"]+)"/.exec(output)!.slice(1).find(Boolean)!,
    adminUrl: /admin API on (https?:\/\/\S+)|"adminUrl":"(https?:\/\/[^"]+)"/.exec(output)?.slice(1).find(Boolean),
    output: () => output,
    waitForOutput,
    exited,
    stop: () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  }));
}

/**
 * For files that run `wsmock serve`: returns `serve(args)`, which starts one
 * (see {@link startServe}); every one started in a test is stopped after it.
 */
export function useServe(): (args: string[], options?: { cwd?: string }) => Promise<Serving> {
  const running: Serving[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((s) => s.stop()));
  });
  return async (args, options) => {
    const serving = await startServe(args, options);
    running.push(serving);
    return serving;
  };
}

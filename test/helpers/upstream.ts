//
// A proxy mock's upstream for tests: a plain `ws` server in another process
// (test/fixtures/upstream.mjs). It reports what it saw as JSON lines, which
// `waitForEvent` reads without sleeping.
//
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, vi } from 'vitest';

/** One thing the upstream saw. */
export interface UpstreamEvent {
  event: 'connection' | 'message' | 'close';
  url?: string;
  protocol?: string;
  headers?: Record<string, string>;
  binary?: boolean;
  text?: string;
  code?: number;
  reason?: string;
}

/** The running upstream process. */
export interface UpstreamProcess {
  readonly port: number;
  /** `ws://127.0.0.1:PORT` */
  readonly url: string;
  readonly pid: number;
  /** Everything it reported so far, in order. */
  readonly events: UpstreamEvent[];
  /** Resolves with the first event (at or after `from`) satisfying `test`. */
  waitForEvent(test: (event: UpstreamEvent) => boolean, from?: number): Promise<UpstreamEvent>;
  stop(): Promise<void>;
}

const fixture = fileURLToPath(new URL('../fixtures/upstream.mjs', import.meta.url));

/** Starts the upstream fixture and resolves once it listens. */
export async function startUpstream(): Promise<UpstreamProcess> {
  const child: ChildProcess = spawn(process.execPath, [fixture], { stdio: ['pipe', 'pipe', 'inherit'] });
  const events: UpstreamEvent[] = [];
  const lines = createInterface({ input: child.stdout! });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the upstream fixture exited with ${code} before listening`)));
    lines.on('line', (line) => {
      const parsed = JSON.parse(line) as UpstreamEvent & { port?: number };
      if (parsed.port !== undefined) resolve(parsed.port);
      else events.push(parsed);
    });
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    port,
    url: `ws://127.0.0.1:${port}`,
    pid: child.pid!,
    events,
    async waitForEvent(test, from = 0) {
      return vi.waitFor(
        () => {
          const found = events.slice(from).find(test);
          if (!found) throw new Error(`the upstream has not reported it yet; it saw ${JSON.stringify(events.slice(from))}`);
          return found;
        },
        { timeout: 5000, interval: 10 },
      );
    },
    async stop() {
      child.stdin!.end();
      await exited;
    },
  };
}

/**
 * One upstream process per test file: started before the first test, stopped
 * after the last. The returned handle forwards to the running process.
 */
export function useUpstream(): UpstreamProcess {
  let current: UpstreamProcess | undefined;
  beforeAll(async () => {
    current = await startUpstream();
  });
  afterAll(() => current?.stop());
  return new Proxy({} as UpstreamProcess, {
    get(_target, key) {
      if (!current) throw new Error('The upstream is started in beforeAll; use it inside a test or hook.');
      const value = Reflect.get(current, key, current) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(current) : value;
    },
  });
}

/** A loopback port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

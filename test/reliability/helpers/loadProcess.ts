//
// The parent side of fixtures/loadClients.mjs: fork a client process, send it
// commands, await its answers (events, never sleeps), and make sure it exits.
//
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('../fixtures/loadClients.mjs', import.meta.url));

export interface EchoResult {
  received: number;
  errors: string[];
}

export interface ClosedResult {
  codes: Record<string, number>;
  reasons: Record<string, number>;
}

type Event = { event: string; [key: string]: unknown };

/** A forked process holding many `ws` clients. */
export class LoadProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  #inbox: Event[] = [];
  #readers: ((event: Event) => void)[] = [];

  constructor() {
    // No inherited execArgv: the test worker's loaders have no business in a plain .mjs client.
    this.child = fork(script, [], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child.on('message', (event: Event) => {
      const reader = this.#readers.shift();
      if (reader) reader(event);
      else this.#inbox.push(event);
    });
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  /** The next event the child reports; an `error` event rejects. */
  async next(expected: string): Promise<Event> {
    const event = this.#inbox.shift() ?? (await new Promise<Event>((resolve, reject) => {
      this.#readers.push(resolve);
      this.exited.then(({ code, signal }) => reject(new Error(`load process exited (${code ?? signal}) while the test awaited "${expected}"`)));
    }));
    if (event.event !== expected) throw new Error(`load process reported ${JSON.stringify(event)} while the test awaited "${expected}"`);
    return event;
  }

  async open(url: string, count: number, name: string): Promise<number> {
    this.child.send({ cmd: 'open', url, count, name });
    return (await this.next('opened')).count as number;
  }

  async echo(messages: number, window: number): Promise<EchoResult[]> {
    this.child.send({ cmd: 'echo', messages, window });
    return (await this.next('echoed')).clients as EchoResult[];
  }

  /**
   * Starts flooding; resolves once every client sends, with a promise of how
   * they closed (wrapped: an async function would adopt a bare promise).
   */
  async flood(): Promise<{ closed: Promise<ClosedResult> }> {
    this.child.send({ cmd: 'flood' });
    await this.next('flooding');
    const closed = this.next('closed').then((e) => ({ codes: e.codes as Record<string, number>, reasons: e.reasons as Record<string, number> }));
    closed.catch(() => {});
    return { closed };
  }

  /**
   * Drops the clients left, disconnects IPC and waits for the process to end
   * by itself (nothing in it calls process.exit).
   */
  async stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.child.connected) {
      this.child.send({ cmd: 'close' });
      await this.next('bye').catch(() => {});
      this.child.disconnect();
    }
    return this.exited;
  }

  /** Last resort for afterAll when a test failed midway. */
  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}

/** Splits `total` clients across `processes` children. */
export function split(total: number, processes: number): number[] {
  return Array.from({ length: processes }, (_, i) => Math.floor(total / processes) + (i < total % processes ? 1 : 0));
}

/** Reads one sample of a Prometheus text exposition, e.g. `wsmock_messages_sent_total{mock_id="load"}`. */
export function metricValue(exposition: string, sample: string): number | undefined {
  for (const line of exposition.split('\n')) {
    if (line.startsWith(`${sample} `)) return Number(line.slice(sample.length + 1));
  }
  return undefined;
}

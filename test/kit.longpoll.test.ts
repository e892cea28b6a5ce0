// The kit seam's long-poll session (LongPollTransport), under a small line
// protocol written here on it, with a real HTTP server and client: what the
// base does for every kit (the held poll, its timer, the flush of one tick's
// writes, the idle timer, a dropped poll, one end however it comes), apart
// from Phoenix's, SignalR's and SockJS's rules, which their kits' tests pin.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createServer, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LongPollTransport, type ClosedBy, type TransportSink } from '../src/kit/index.js';

const CLOSED = new Error('the line session is closed');

/** Polls are held `window` ms, then answered `empty`; a session no poll reaches for `idle` ms ends. */
class LinePoll extends LongPollTransport<string> {
  readonly #window: number;
  readonly #idle: number;

  constructor(forget: () => void, timings: { window: number; idle: number }) {
    super({ remoteAddress: '127.0.0.1', forget, closedError: CLOSED });
    this.#window = timings.window;
    this.#idle = timings.idle;
    this.#armIdle();
  }

  get holding(): boolean {
    return this.held !== undefined;
  }

  poll(response: ServerResponse): void {
    this.release()?.end('replaced');
    this.#armIdle();
    this.hold(response);
    this.holdTimer(this.#window, () => this.release()?.end('empty'));
    this.flush();
  }

  post(lines: string[]): void {
    for (const line of lines) this.fromClient(Buffer.from(line), false);
  }

  protected encode(bytes: Buffer): string {
    return bytes.toString('utf8');
  }

  protected flush(): void {
    if (this.queued === 0) return;
    const response = this.release();
    if (!response) return;
    const { items, callbacks } = this.takeQueued();
    response.end(JSON.stringify(items), () => callbacks.forEach((callback) => callback()));
  }

  protected closing(): void {
    if (this.queued === 0) this.endClosing();
  }

  protected dropped(): void {
    this.end(1001, 'dropped', 'client');
  }

  protected ended(held: ServerResponse | undefined): void {
    held?.end('gone');
  }

  #armIdle(): void {
    this.armIdle(this.#idle, () => this.end(1006, 'idle', 'network'));
  }
}

interface Closed {
  code: number;
  reason: string;
  by: ClosedBy;
}

const open: Array<{ server: Server; session: LinePoll }> = [];

afterEach(async () => {
  for (const { server, session } of open.splice(0)) {
    session.terminate();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A server whose GET /poll polls one session and whose POST /send hands it the body's lines. */
async function serve(timings = { window: 60_000, idle: 60_000 }) {
  let forgotten = 0;
  const session = new LinePoll(() => forgotten++, timings);
  const frames: string[] = [];
  const pongs: string[] = [];
  let onClosed!: (closed: Closed) => void;
  const closed = new Promise<Closed>((resolve) => (onClosed = resolve));
  const sink: TransportSink<string> = {
    frame: (_owner, data) => frames.push(data.toString('utf8')),
    closed: (_owner, code, reason, by) => onClosed({ code, reason, by }),
    pong: (_owner, data) => pongs.push(data.toString('utf8')),
  };
  session.bind('owner', sink);
  const server = createServer((req, res) => {
    if (req.url === '/poll') return session.poll(res);
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      session.post(body.split('\n'));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  open.push({ server, session });
  const { port } = server.address() as AddressInfo;
  /** One request on its own socket: its answer's body, or the error that ended it. */
  const ask = (method: 'GET' | 'POST', path: string, body = '') => {
    const req = request({ host: '127.0.0.1', port, method, path, agent: false });
    const answer = new Promise<string>((resolve, reject) => {
      req.on('response', (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve(text));
      });
      req.on('error', reject);
    });
    req.end(body);
    return { req, answer };
  };
  return { session, frames, pongs, closed, ask, forgotten: () => forgotten };
}

describe('LongPollTransport, the seam of long-poll kits', () => {
  it('answers a held poll with every frame written in one tick and then runs their callbacks; a POST reaches the sink', async () => {
    const { session, frames, ask } = await serve();
    const poll = ask('GET', '/poll');
    await vi.waitFor(() => expect(session.holding).toBe(true));
    const done: Array<Error | undefined> = [];
    session.write(Buffer.from('a'), false, (err) => done.push(err));
    session.write(Buffer.from('b'), false, (err) => done.push(err));
    expect(await poll.answer).toBe('["a","b"]');
    await vi.waitFor(() => expect(done).toEqual([undefined, undefined]));
    expect(session.holding).toBe(false);

    // Written with no poll held: kept for the next one, which is answered at once.
    session.write(Buffer.from('c'), false);
    expect(await ask('GET', '/poll').answer).toBe('["c"]');

    await ask('POST', '/send', 'x\ny').answer;
    expect(frames).toEqual(['x', 'y']);
  });

  it('answers a held poll through its timer, and ends a session no poll reaches once the idle timer fires', async () => {
    const { session, closed, ask, forgotten } = await serve({ window: 20, idle: 200 });
    expect(await ask('GET', '/poll').answer).toBe('empty');
    expect(await closed).toEqual({ code: 1006, reason: 'idle', by: 'network' });
    expect(session.readyState).toBe(3);
    expect(forgotten()).toBe(1);
  });

  it('hands a poll the client dropped to dropped(), with the poll no longer held', async () => {
    const { session, closed, ask } = await serve();
    const poll = ask('GET', '/poll');
    poll.answer.catch(() => {});
    await vi.waitFor(() => expect(session.holding).toBe(true));
    poll.req.destroy();
    expect(await closed).toEqual({ code: 1001, reason: 'dropped', by: 'client' });
    expect(session.holding).toBe(false);
  });

  it('ends once however it is ended: terminate() drops the held poll and fails what is queued; later writes fail at once', async () => {
    const { session, closed, ask, forgotten } = await serve();
    const poll = ask('GET', '/poll');
    await vi.waitFor(() => expect(session.holding).toBe(true));
    session.close(4000, 'bye');
    // The line protocol ends a closing session with nothing queued at once, its held poll told `gone`.
    expect(await poll.answer).toBe('gone');
    expect(await closed).toEqual({ code: 4000, reason: 'bye', by: 'server' });
    session.terminate();
    session.close(4001, 'again');
    expect(forgotten()).toBe(1);
    const late: Array<Error | undefined> = [];
    session.write(Buffer.from('late'), false, (err) => late.push(err));
    expect(late).toEqual([CLOSED]);
  });

  it('terminate(): the held poll is destroyed, writes still queued fail with the session error, 1006 by the server', async () => {
    const first = await serve();
    const queued: Array<Error | undefined> = [];
    first.session.write(Buffer.from('never polled'), false, (err) => queued.push(err));
    first.session.terminate();
    expect(queued).toEqual([CLOSED]);
    expect(await first.closed).toEqual({ code: 1006, reason: '', by: 'server' });

    const second = await serve();
    const poll = second.ask('GET', '/poll');
    await vi.waitFor(() => expect(second.session.holding).toBe(true));
    second.session.terminate();
    await expect(poll.answer).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect(await second.closed).toEqual({ code: 1006, reason: '', by: 'server' });
  });

  it('answers a ping while open (no ping frames over HTTP), not once closing; fail() does nothing', async () => {
    const { session, pongs } = await serve();
    expect(session.fail()).toBe(false);
    session.ping(Buffer.from('p1'));
    await vi.waitFor(() => expect(pongs).toEqual(['p1']));
    session.write(Buffer.from('pending'), false);
    session.close(1000, '');
    expect(session.readyState).toBe(2);
    session.ping(Buffer.from('p2'));
    await Promise.resolve();
    expect(pongs).toEqual(['p1']);
  });
});

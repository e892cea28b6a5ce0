import { describe, expect, it, vi } from 'vitest';
import type { Connection, ResponseSpec, ScenarioInfo } from '../src/index.js';
import { connect } from './helpers/client.js';
import { useMockServer } from './helpers/server.js';

const server = useMockServer();

const text = (value: string, delay?: number): ResponseSpec => (delay === undefined ? { type: 'text', value } : { type: 'text', value, delay });
const json = (value: unknown): ResponseSpec => ({ type: 'json', value });
const typeIs = (value: string) => ({ type: 'json' as const, path: '$.type', value });

describe('steps', () => {
  it('send steps run on connect, in order', async () => {
    const mock = server.websocket('/s', {
      scenario: { name: 'greet', steps: [{ type: 'send', message: json({ type: 'welcome' }) }, { type: 'send', message: text('second') }] },
    });
    const client = await connect(mock.url);
    expect(await client.nextJson()).toEqual({ type: 'welcome' });
    expect(await client.next()).toBe('second');
    const conn = await mock.waitForConnection();
    expect(conn.info.scenario).toEqual({ name: 'greet', step: 1, status: 'completed' });
  });

  it('a wait step consumes its message (no matcher sees it) and send steps template the last consumed message', async () => {
    const mock = server.websocket('/s', {
      scenario: {
        steps: [
          { type: 'send', message: text('before any wait: [{{message}}]') },
          { type: 'wait', match: typeIs('ready'), timeout: '5s' },
          { type: 'send', message: json({ type: 'session_start', user: '{{message.user}}', raw: '{{message}}' }) },
        ],
      },
      matchers: [{ match: { type: 'json', path: '$.type' }, response: json({ matcher: '{{message.type}}' }) }],
    });
    const client = await connect(mock.url);
    const conn = await mock.waitForConnection();
    expect(await client.next()).toBe('before any wait: []');
    expect(conn.info.scenario).toEqual({ name: null, step: 1, status: 'waiting' });
    // Not what the step waits for: the matchers answer it.
    expect(await client.askJson({ type: 'other' })).toEqual({ matcher: 'other' });
    // The awaited message goes to the scenario only.
    client.send({ type: 'ready', user: 'ann' });
    expect(await client.nextJson()).toEqual({ type: 'session_start', user: 'ann', raw: '{"type":"ready","user":"ann"}' });
    // Once the scenario is done, the same message reaches the matchers again.
    expect(await client.askJson({ type: 'ready' })).toEqual({ matcher: 'ready' });
    expect(conn.info.scenario).toEqual({ name: null, step: 2, status: 'completed' });
  });

  it('expect is an alias of wait with match', async () => {
    const mock = server.websocket('/s', {
      scenario: {
        steps: [
          { type: 'expect', match: { type: 'exact', value: 'hello' } },
          { type: 'send', message: text('you said {{message}}') },
        ],
      },
    });
    const client = await connect(mock.url);
    expect(await client.ask('hello')).toBe('you said hello');
  });

  it('wait with duration and delay pause; frames meanwhile go to the matchers', async () => {
    const mock = server.websocket('/s', {
      scenario: {
        steps: [
          { type: 'wait', duration: '150ms' },
          { type: 'send', message: text('after wait') },
          { type: 'delay', duration: 100 },
          { type: 'send', message: text('after delay') },
        ],
      },
      matchers: [{ match: { type: 'exact', value: 'ping' }, response: text('pong') }],
    });
    const started = performance.now();
    const client = await connect(mock.url);
    const conn = await mock.waitForConnection();
    expect(conn.info.scenario).toMatchObject({ step: 0, status: 'running' });
    expect(await client.ask('ping')).toBe('pong');
    expect(await client.next()).toBe('after wait');
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
    expect(await client.next()).toBe('after delay');
    expect(performance.now() - started).toBeGreaterThanOrEqual(245);
  });

  it('a send step with a delayed message holds the scenario until it is sent', async () => {
    const mock = server.websocket('/s', {
      scenario: { steps: [{ type: 'send', message: text('slow', 100) }, { type: 'send', message: text('next') }] },
    });
    const client = await connect(mock.url);
    expect(await client.next()).toBe('slow');
    expect(await client.next()).toBe('next');
  });

  it('close ends the connection with the given code and reason', async () => {
    const mock = server.websocket('/s', {
      scenario: {
        steps: [
          { type: 'expect', match: { type: 'exact', value: 'bye' } },
          { type: 'send', message: text('closing') },
          { type: 'close', code: 4001, reason: 'scenario over' },
        ],
      },
    });
    const client = await connect(mock.url);
    const conn = await mock.waitForConnection();
    client.send('bye');
    expect(await client.next()).toBe('closing');
    expect(await client.closed).toEqual({ code: 4001, reason: 'scenario over' });
    expect(conn.info.scenario).toMatchObject({ step: 2, status: 'completed' });
  });

  it('close without a code closes with 1000', async () => {
    const mock = server.websocket('/s', { scenario: { steps: [{ type: 'close' }] } });
    const client = await connect(mock.url);
    expect(await client.closed).toEqual({ code: 1000, reason: '' });
  });
});

describe('a wait that times out', () => {
  it('fails the scenario when required: ConnectionInfo shows it, scenario:failed fires, the connection stays open', async () => {
    const failures: [Connection, ScenarioInfo][] = [];
    const onFailed = (conn: Connection, info: ScenarioInfo) => failures.push([conn, info]);
    server.on('scenario:failed', onFailed);
    const mock = server.websocket('/s', {
      scenario: {
        name: 'handshake',
        steps: [
          { type: 'send', message: text('hello') },
          { type: 'wait', match: typeIs('ack'), timeout: '80ms' },
          { type: 'send', message: text('never sent') },
        ],
      },
      matchers: [{ match: { type: 'exact', value: 'ping' }, response: text('pong') }],
    });
    const client = await connect(mock.url);
    const conn = await mock.waitForConnection();
    expect(await client.next()).toBe('hello');
    await vi.waitFor(() => expect(failures).toHaveLength(1));
    expect(failures[0]![0]).toBe(conn);
    expect(failures[0]![1]).toMatchObject({ name: 'handshake', step: 1, status: 'failed' });
    expect(failures[0]![1].error).toContain('80 ms');
    expect(conn.info.scenario).toMatchObject({ name: 'handshake', step: 1, status: 'failed' });
    expect(server.connections.list()[0]!.scenario).toMatchObject({ status: 'failed' });
    // Still open and still answered by the matchers; the failed wait no longer consumes frames.
    expect(conn.isOpen).toBe(true);
    expect(await client.ask('ping')).toBe('pong');
    client.send({ type: 'ack' });
    expect(await client.ask('ping')).toBe('pong');
    expect(client.pending).toHaveLength(0);
    server.off('scenario:failed', onFailed);
  });

  it('moves on when optional', async () => {
    const failed = vi.fn();
    server.on('scenario:failed', failed);
    const mock = server.websocket('/s', {
      scenario: {
        steps: [
          { type: 'wait', match: typeIs('ack'), timeout: 50, optional: true },
          { type: 'send', message: text('moved on [{{message}}]') },
        ],
      },
    });
    const client = await connect(mock.url);
    expect(await client.next()).toBe('moved on []');
    expect(failed).not.toHaveBeenCalled();
    server.off('scenario:failed', failed);
  });
});

describe('loop', () => {
  it('repeats the steps, waiting for a message each round', async () => {
    const mock = server.websocket('/s', {
      scenario: {
        loop: true,
        steps: [
          { type: 'wait', match: { type: 'prefix', value: 'n=' } },
          { type: 'send', message: text('got {{message}} #{{sequence}}') },
        ],
      },
    });
    const client = await connect(mock.url);
    expect(await client.ask('n=1')).toBe('got n=1 #1');
    expect(await client.ask('n=2')).toBe('got n=2 #2');
    expect(await client.ask('n=3')).toBe('got n=3 #3');
  });

  it('a delay + send loop is a ticker', async () => {
    const mock = server.websocket('/s', {
      scenario: { loop: true, steps: [{ type: 'delay', duration: '20ms' }, { type: 'send', message: json({ tick: '{{sequence}}' }) }] },
    });
    const client = await connect(mock.url);
    expect([await client.nextJson(), await client.nextJson(), await client.nextJson()]).toEqual([{ tick: '1' }, { tick: '2' }, { tick: '3' }]);
    const conn = await mock.waitForConnection();
    expect(conn.info.scenario?.status).toBe('running');
  });

  it('a loop of sends with a delayed message is a valid ticker too', async () => {
    const mock = server.websocket('/s', { scenario: { loop: true, steps: [{ type: 'send', message: text('t{{sequence}}', 10) }] } });
    const client = await connect(mock.url);
    expect([await client.next(), await client.next()]).toEqual(['t1', 't2']);
  });
});

describe('resetOnReconnect', () => {
  const steps = [
    { type: 'send' as const, message: text('step 0') },
    { type: 'expect' as const, match: { type: 'exact' as const, value: 'one' } },
    { type: 'send' as const, message: text('step 2 after {{message}}') },
    { type: 'expect' as const, match: { type: 'exact' as const, value: 'two' } },
    { type: 'send' as const, message: text('step 4 after {{message}}') },
  ];

  it('true (the default): every connection starts at step 0', async () => {
    const mock = server.websocket('/s', { scenario: { steps } });
    const first = await connect(mock.url);
    expect(await first.next()).toBe('step 0');
    expect(await first.ask('one')).toBe('step 2 after one');
    await first.close();
    const second = await connect(mock.url);
    expect(await second.next()).toBe('step 0');
    expect(await second.ask('one')).toBe('step 2 after one');
  });

  it('false: a reconnecting client resumes where the previous connection stopped', async () => {
    const mock = server.websocket('/s', { scenario: { steps, resetOnReconnect: false } });
    const first = await connect(mock.url);
    expect(await first.next()).toBe('step 0');
    expect(await first.ask('one')).toBe('step 2 after one');
    await first.close();
    await vi.waitFor(() => expect(mock.connections).toHaveLength(0));
    const second = await connect(mock.url);
    const conn = await mock.waitForConnection({ predicate: (c) => c.isOpen });
    expect(conn.info.scenario).toMatchObject({ step: 3, status: 'waiting' });
    expect(await second.ask('two')).toBe('step 4 after two');
    await second.close();
    // Completed: a third connection has nothing left to run.
    const third = await connect(mock.url);
    const thirdConn = await mock.waitForConnection({ predicate: (c) => c.isOpen });
    expect(thirdConn.info.scenario).toMatchObject({ step: 4, status: 'completed' });
    expect(third.pending).toHaveLength(0);
  });

  it('false with loop: the position wraps and carries over', async () => {
    const mock = server.websocket('/s', {
      scenario: {
        loop: true,
        resetOnReconnect: false,
        steps: [
          { type: 'expect', match: { type: 'exact', value: 'a' } },
          { type: 'send', message: text('A') },
          { type: 'expect', match: { type: 'exact', value: 'b' } },
          { type: 'send', message: text('B') },
        ],
      },
      matchers: [{ response: text('matcher {{message}}') }],
    });
    const first = await connect(mock.url);
    expect(await first.ask('a')).toBe('A');
    await first.close();
    await vi.waitFor(() => expect(mock.connections).toHaveLength(0));
    const second = await connect(mock.url);
    expect(await second.ask('a')).toBe('matcher a');
    expect(await second.ask('b')).toBe('B');
    await second.close();
    await vi.waitFor(() => expect(mock.connections).toHaveLength(0));
    const third = await connect(mock.url);
    expect(await third.ask('a')).toBe('A');
  });

  it('false with loop and close: the next connection wraps round to step 0', async () => {
    const mock = server.websocket('/s', {
      scenario: {
        loop: true,
        resetOnReconnect: false,
        steps: [
          { type: 'send', message: text('hello') },
          { type: 'expect', match: { type: 'exact', value: 'bye' } },
          { type: 'close', code: 4000, reason: 'round over' },
        ],
      },
    });
    for (let round = 0; round < 2; round++) {
      const client = await connect(mock.url);
      expect(await client.next()).toBe('hello');
      client.send('bye');
      expect(await client.closed).toEqual({ code: 4000, reason: 'round over' });
      await vi.waitFor(() => expect(mock.connections).toHaveLength(0));
    }
  });

  it('false: the connection that resumes sees the message the previous one consumed', async () => {
    const mock = server.websocket('/s', {
      scenario: {
        resetOnReconnect: false,
        steps: [
          { type: 'expect', match: { type: 'json', path: '$.user' } },
          { type: 'wait', duration: 300 },
          { type: 'send', message: text('welcome back {{message.user}}') },
        ],
      },
    });
    const first = await connect(mock.url);
    const firstConn = await mock.waitForConnection();
    first.send({ user: 'ann' });
    await vi.waitFor(() => expect(firstConn.info.scenario).toMatchObject({ step: 1, status: 'running' }));
    await first.close();
    await vi.waitFor(() => expect(mock.connections).toHaveLength(0));
    const second = await connect(mock.url);
    expect(await second.next()).toBe('welcome back ann');
    expect(first.pending).toHaveLength(0);
  });

  it('false: a mock update starts the scenario afresh', async () => {
    const mock = server.websocket('/s', { scenario: { steps, resetOnReconnect: false } });
    const first = await connect(mock.url);
    expect(await first.next()).toBe('step 0');
    expect(await first.ask('one')).toBe('step 2 after one');
    await mock.update({ name: 'changed' });
    expect((await first.closed).code).toBe(1012);
    const second = await connect(mock.url);
    expect(await second.next()).toBe('step 0');
  });
});

describe('timers', () => {
  it('stop when the connection closes or the mock changes', async () => {
    const errors = vi.fn();
    server.on('error', errors);
    const mock = server.websocket('/s', {
      scenario: { steps: [{ type: 'delay', duration: 150 }, { type: 'send', message: text('late') }] },
    });
    const closed = await connect(mock.url);
    const closedConn = await mock.waitForConnection();
    await closed.close();
    const updated = await connect(mock.url);
    const updatedConn = await mock.waitForConnection();
    await mock.update({ scenario: { steps: [{ type: 'delay', duration: 250 }, { type: 'send', message: text('new version') }] } });
    expect((await updated.closed).code).toBe(1012);
    // This reply is due after the old timers would have fired.
    const fresh = await connect(mock.url);
    expect(await fresh.next()).toBe('new version');
    expect(closedConn.messages.filter((m) => m.direction === 'out')).toHaveLength(0);
    expect(updatedConn.messages.filter((m) => m.direction === 'out')).toHaveLength(0);
    expect(errors).not.toHaveBeenCalled();
    server.off('error', errors);
  });

  it('a connection with a looping scenario closes cleanly on reset', async () => {
    const mock = server.websocket('/s', {
      scenario: { loop: true, steps: [{ type: 'delay', duration: 5 }, { type: 'send', message: text('tick') }] },
    });
    const client = await connect(mock.url);
    expect(await client.next()).toBe('tick');
    await server.reset();
    expect((await client.closed).code).toBe(1012);
  });
});

describe('scenario alongside other stages', () => {
  it('onConnection runs before the scenario starts', async () => {
    const order: string[] = [];
    const mock = server.websocket('/s', {
      onConnection: (conn) => {
        order.push('onConnection');
        void conn.send('from handler');
      },
      scenario: { steps: [{ type: 'send', message: text('from scenario') }] },
    });
    const client = await connect(mock.url);
    expect([await client.next(), await client.next()]).toEqual(['from handler', 'from scenario']);
    expect(order).toEqual(['onConnection']);
  });

  it('a mock with only a scenario does not echo', async () => {
    const mock = server.websocket('/s', {
      scenario: { steps: [{ type: 'expect', match: { type: 'exact', value: 'go' } }, { type: 'send', message: text('went') }] },
    });
    const client = await connect(mock.url);
    client.send('unrelated');
    expect(await client.ask('go')).toBe('went');
    expect(client.pending).toHaveLength(0);
  });
});

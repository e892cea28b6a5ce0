import { describe, expect, it, vi } from 'vitest';
import { connect } from './helpers/client.js';
import { useMockServer } from './helpers/server.js';

const server = useMockServer();

const text = (value: string) => ({ type: 'text' as const, value });

describe('text matchers', () => {
  it.each([
    ['exact', 'ping', 'ping', 'ping!'],
    ['contains', 'hello', 'well hello there', 'hell no'],
    ['prefix', 'CMD:', 'CMD:run', 'run CMD:'],
    ['suffix', '?', 'is it?', '?is it'],
    ['regex', '^user_\\d+$', 'user_42', 'user_x'],
  ] as const)('%s matches %j and lets %j through to the default response', async (type, value, hit, miss) => {
    const mock = server.websocket('/m', {
      matchers: [{ match: { type, value }, response: text('matched') }],
      defaultResponse: text('unmatched'),
    });
    const client = await connect(mock.url);
    expect(await client.ask(hit)).toBe('matched');
    expect(await client.ask(miss)).toBe('unmatched');
  });

  it('exact compares the whole text, case and spaces included', async () => {
    const mock = server.websocket('/m', {
      matchers: [{ match: { type: 'exact', value: 'ping' }, response: text('pong') }],
      defaultResponse: text('no'),
    });
    const client = await connect(mock.url);
    expect(await client.ask('Ping')).toBe('no');
    expect(await client.ask(' ping')).toBe('no');
    expect(await client.ask('ping')).toBe('pong');
  });

  it('an in-process RegExp keeps its flags (and a global flag does not make it stateful)', async () => {
    const mock = server.websocket('/m', {
      matchers: [{ match: { type: 'regex', value: /^hello/gi }, response: text('hi') }],
      defaultResponse: text('no'),
    });
    const client = await connect(mock.url);
    expect(await client.ask('HELLO you')).toBe('hi');
    expect(await client.ask('hello again')).toBe('hi');
    expect(await client.ask('oh hello')).toBe('no');
  });

  it('a binary frame does not match a text matcher unless messageType says binary', async () => {
    const mock = server.websocket('/m', {
      matchers: [
        { match: { type: 'exact', value: 'ping' }, response: text('text ping') },
        { match: { type: 'regex', value: '.*', messageType: 'binary' }, response: text('Binary message received') },
      ],
      defaultResponse: text('unmatched'),
    });
    const client = await connect(mock.url);
    expect(await client.ask(Buffer.from('ping'))).toBe('Binary message received');
    expect(await client.ask('ping')).toBe('text ping');
  });

  it('messageType "text" skips binary frames, "binary" skips text frames', async () => {
    const mock = server.websocket('/m', {
      matchers: [
        { match: { type: 'exact', value: 'ping', messageType: 'text' }, response: text('text') },
        { match: { type: 'exact', value: 'ping', messageType: 'binary' }, response: text('binary') },
      ],
    });
    const client = await connect(mock.url);
    expect(await client.ask(Buffer.from('ping'))).toBe('binary');
    expect(await client.ask('ping')).toBe('text');
  });
});

describe('json matchers', () => {
  it('compares the selected value with deep equality', async () => {
    const mock = server.websocket('/m', {
      matchers: [
        { match: { type: 'json', path: '$.type', value: 'join' }, response: text('join') },
        { match: { type: 'json', path: '$.user', value: { name: 'ann', roles: ['a', 'b'] } }, response: text('ann') },
        { match: { type: 'json', path: '$.n', value: 0 }, response: text('zero') },
        { match: { type: 'json', path: '$.flag', value: null }, response: text('null') },
      ],
      defaultResponse: text('none'),
    });
    const client = await connect(mock.url);
    expect(await client.ask({ type: 'join' })).toBe('join');
    expect(await client.ask({ type: 'Join' })).toBe('none');
    expect(await client.ask({ user: { roles: ['a', 'b'], name: 'ann' } })).toBe('ann');
    expect(await client.ask({ user: { name: 'ann', roles: ['b', 'a'] } })).toBe('none');
    expect(await client.ask({ n: 0 })).toBe('zero');
    expect(await client.ask({ n: '0' })).toBe('none');
    expect(await client.ask({ flag: null })).toBe('null');
    expect(await client.ask({})).toBe('none');
  });

  it('without a value, the path must exist (a null or false value exists)', async () => {
    const mock = server.websocket('/m', {
      matchers: [{ match: { type: 'json', path: '$.id' }, response: text('has id') }],
      defaultResponse: text('no id'),
    });
    const client = await connect(mock.url);
    expect(await client.ask({ id: null })).toBe('has id');
    expect(await client.ask({ id: false })).toBe('has id');
    expect(await client.ask({ other: 1 })).toBe('no id');
  });

  it('supports full JSONPath: filters, wildcards, recursive descent, indexes, bracket names', async () => {
    const mock = server.websocket('/m', {
      matchers: [
        { match: { type: 'json', path: '$.items[?(@.price < 10)].name', value: 'cheap' }, response: text('filter') },
        { match: { type: 'json', path: '$..secret' }, response: text('descent') },
        { match: { type: 'json', path: '$.tags[*]', value: 'urgent' }, response: text('wildcard') },
        { match: { type: 'json', path: '$.list[1]', value: 'b' }, response: text('index') },
        { match: { type: 'json', path: "$['odd key']", value: true }, response: text('bracket') },
      ],
      defaultResponse: text('none'),
    });
    const client = await connect(mock.url);
    expect(await client.ask({ items: [{ name: 'dear', price: 50 }, { name: 'cheap', price: 5 }] })).toBe('filter');
    expect(await client.ask({ items: [{ name: 'cheap', price: 50 }] })).toBe('none');
    expect(await client.ask({ a: { b: [{ secret: 1 }] } })).toBe('descent');
    expect(await client.ask({ tags: ['x', 'urgent'] })).toBe('wildcard');
    expect(await client.ask({ list: ['a', 'b'] })).toBe('index');
    expect(await client.ask({ 'odd key': true })).toBe('bracket');
  });

  it('a filter that fails on a frame selects nothing and the server keeps serving', async () => {
    const errors = vi.fn();
    server.on('error', errors);
    const mock = server.websocket('/m', {
      matchers: [{ match: { type: 'json', path: '$.items[?(@.a.b == 1)]' }, response: text('found') }],
      defaultResponse: text('none'),
    });
    const client = await connect(mock.url);
    expect(await client.ask({ items: [{ x: 1 }] })).toBe('none');
    expect(await client.ask({ items: [{ a: { b: 1 } }] })).toBe('found');
    expect(errors).not.toHaveBeenCalled();
    server.off('error', errors);
  });

  it('a frame that is not JSON, or a binary frame, simply does not match', async () => {
    const mock = server.websocket('/m', {
      matchers: [{ match: { type: 'json', path: '$.type', value: 'ping' }, response: text('pong') }],
      defaultResponse: text('none'),
    });
    const client = await connect(mock.url);
    expect(await client.ask('{"type": "ping"')).toBe('none');
    expect(await client.ask('type=ping')).toBe('none');
    expect(await client.ask(Buffer.from('{"type":"ping"}'))).toBe('none');
    expect(await client.ask('"ping"')).toBe('none');
    expect(await client.ask('{"type":"ping"}')).toBe('pong');
  });
});

describe('decoding', () => {
  it('parses a frame once, however many json matchers look at it', async () => {
    const parse = vi.spyOn(JSON, 'parse');
    const matchers = Array.from({ length: 20 }, (_, i) => ({
      match: { type: 'json' as const, path: i % 2 ? '$.type' : '$.meta[?(@.k == "v")]', value: i === 19 ? 'last' : `t${i}` },
      response: { type: 'text' as const, value: `matcher ${i}` },
    }));
    const mock = server.websocket('/m', { matchers });
    const client = await connect(mock.url);
    const frame = JSON.stringify({ type: 'last', marker: Math.random() });
    client.send(frame);
    expect(await client.next()).toBe('matcher 19');
    expect(parse.mock.calls.filter(([text]) => text === frame)).toHaveLength(1);
    parse.mockRestore();
  });
});

describe('matcher combinations', () => {
  it('the first matching rule wins', async () => {
    const mock = server.websocket('/m', {
      matchers: [
        { match: { type: 'exact', value: 'ping' }, response: text('pong') },
        { match: { type: 'regex', value: '.*' }, response: text('Unknown command') },
      ],
    });
    const client = await connect(mock.url);
    expect(await client.ask('ping')).toBe('pong');
    expect(await client.ask('pong')).toBe('Unknown command');
  });

  it('times limits a rule per mock, across connections; later rules then take over', async () => {
    const mock = server.websocket('/m', {
      matchers: [
        { match: { type: 'exact', value: 'go' }, response: text('first'), times: 2 },
        { match: { type: 'exact', value: 'go' }, response: text('later') },
      ],
    });
    const a = await connect(mock.url);
    const b = await connect(mock.url);
    expect(await a.ask('go')).toBe('first');
    expect(await b.ask('go')).toBe('first');
    expect(await a.ask('go')).toBe('later');
    expect(await b.ask('go')).toBe('later');
  });

  it('noResponse stops the frame: no later matcher, no default, no echo', async () => {
    const mock = server.websocket('/m', {
      echoMode: true,
      matchers: [
        { match: { type: 'json', path: '$.type', value: 'typing' }, noResponse: true },
        { match: { type: 'regex', value: '.*' }, response: text('catch-all') },
      ],
      defaultResponse: text('default'),
    });
    const client = await connect(mock.url);
    const conn = await mock.waitForConnection();
    client.send({ type: 'typing' });
    client.send('marker');
    expect(await client.next()).toBe('catch-all');
    expect(conn.received.map((m) => m.text)).toEqual(['{"type":"typing"}', 'marker']);
    expect(conn.messages.filter((m) => m.direction === 'out').map((m) => m.text)).toEqual(['catch-all']);
  });

  it('responses sends several frames in order', async () => {
    const mock = server.websocket('/m', {
      matchers: [
        {
          match: { type: 'exact', value: 'burst' },
          responses: [text('one'), { type: 'json', value: { n: 2 } }, { type: 'binary', value: Buffer.from('three').toString('base64') }],
        },
      ],
    });
    const client = await connect(mock.url);
    client.send('burst');
    expect(await client.next()).toBe('one');
    expect(await client.nextJson()).toEqual({ n: 2 });
    const third = await client.frame();
    expect(third.binary).toBe(true);
    expect(third.text).toBe('three');
  });

  it('runs of json equality matchers keep first-match-wins, times and their place among other matchers', async () => {
    const mock = server.websocket('/m', {
      matchers: [
        { match: { type: 'json', path: '$.type', value: 'a' }, response: text('a1'), times: 1 },
        { match: { type: 'json', path: '$.type', value: 'a' }, response: text('a2') },
        { match: { type: 'json', path: '$.type', value: 1 }, response: text('number 1') },
        { match: { type: 'json', path: '$.n', value: 0 }, response: text('zero') },
        { match: { type: 'contains', value: 'override' }, response: text('contains') },
        { match: { type: 'json', path: '$.type', value: 'b' }, response: text('b') },
        { match: { type: 'json', path: '$.type', value: 'override' }, response: text('unreachable') },
        { match: { type: 'json', path: '$.kind', value: 'a' }, response: text('kind a') },
        { match: { type: 'json', path: '$.type', value: 'a', messageType: 'text' }, response: text('a3') },
      ],
      defaultResponse: text('none'),
    });
    const client = await connect(mock.url);
    expect(await client.ask({ type: 'a' })).toBe('a1');
    expect(await client.ask({ type: 'a' })).toBe('a2');
    expect(await client.ask({ type: 1 })).toBe('number 1');
    expect(await client.ask({ type: '1' })).toBe('none');
    expect(await client.ask('{"n":-0}')).toBe('none');
    expect(await client.ask('{"n":0}')).toBe('zero');
    expect(await client.ask({ type: 'override' })).toBe('contains');
    expect(await client.ask({ type: 'b' })).toBe('b');
    expect(await client.ask({ kind: 'a' })).toBe('kind a');
    expect(await client.ask(Buffer.from('{"type":"a"}'))).toBe('none');
  });

  it('a matcher without match applies to every frame', async () => {
    const mock = server.websocket('/m', { matchers: [{ response: text('always') }] });
    const client = await connect(mock.url);
    expect(await client.ask('x')).toBe('always');
    expect(await client.ask(Buffer.from([1, 2]))).toBe('always');
  });
});

describe('defaultResponse and echo', () => {
  it('echo is on by default for a bare mock and sends frames back as they came', async () => {
    const mock = server.websocket('/echo');
    const client = await connect(mock.url);
    expect(await client.ask('hello')).toBe('hello');
    const bin = await (client.send(Buffer.from([0, 1, 2])), client.frame());
    expect(bin.binary).toBe(true);
    expect([...bin.data]).toEqual([0, 1, 2]);
  });

  it('echo is off by default when the mock has matchers: unmatched frames get nothing', async () => {
    const mock = server.websocket('/m', { matchers: [{ match: { type: 'exact', value: 'ping' }, response: text('pong') }] });
    const client = await connect(mock.url);
    const conn = await mock.waitForConnection();
    client.send('unmatched');
    client.send('ping');
    expect(await client.next()).toBe('pong');
    expect(conn.received).toHaveLength(2);
    expect(client.pending).toHaveLength(0);
  });

  it('with echoMode, matchers come first and unmatched frames are echoed', async () => {
    const mock = server.websocket('/m', {
      echoMode: true,
      matchers: [{ match: { type: 'exact', value: 'ping' }, response: text('pong') }],
    });
    const client = await connect(mock.url);
    expect(await client.ask('ping')).toBe('pong');
    expect(await client.ask('other')).toBe('other');
  });

  it('a default response wins over echo', async () => {
    const mock = server.websocket('/m', {
      echoMode: true,
      matchers: [{ match: { type: 'exact', value: 'ping' }, response: text('pong') }],
      defaultResponse: { type: 'json', value: { type: 'error', received: '{{message}}' } },
    });
    const client = await connect(mock.url);
    expect(await client.ask('ping')).toBe('pong');
    expect(await client.askJson('what')).toEqual({ type: 'error', received: 'what' });
  });

  it('a default response alone answers everything', async () => {
    const mock = server.websocket('/m', { defaultResponse: text('always') });
    const client = await connect(mock.url);
    expect(await client.ask('a')).toBe('always');
    expect(await client.ask(Buffer.from('b'))).toBe('always');
  });
});

describe('in-process match and respond', () => {
  it('a match predicate receives the message and the connection', async () => {
    const mock = server.websocket('/m/:room', {
      matchers: [
        {
          match: (msg, conn) => msg.text === 'who' && conn.params.room === 'blue',
          response: text('blue room'),
        },
      ],
      defaultResponse: text('other'),
    });
    const blue = await connect(`${server.url}/m/blue`);
    const red = await connect(`${server.url}/m/red`);
    expect(await blue.ask('who')).toBe('blue room');
    expect(await red.ask('who')).toBe('other');
  });

  it('respond may return a string, an object, an array, a number, bytes, a ResponseSpec, or nothing', async () => {
    const mock = server.websocket('/m', {
      matchers: [
        {
          respond: (msg) => {
            switch (msg.text) {
              case 'string':
                return 'a string';
              case 'object':
                return { ok: true, quote: 'say "hi"' };
              case 'array':
                return [1, 'two'];
              case 'number':
                return 42 as unknown as object;
              case 'bytes':
                return Buffer.from([9, 8, 7]);
              case 'uint8':
                return new Uint8Array([1, 2]);
              case 'spec':
                return { type: 'text', value: 'from spec {{message}}' };
              case 'nothing':
                return undefined;
              default:
                return null;
            }
          },
        },
      ],
    });
    const client = await connect(mock.url);
    expect(await client.ask('string')).toBe('a string');
    expect(await client.askJson('object')).toEqual({ ok: true, quote: 'say "hi"' });
    expect(await client.askJson('array')).toEqual([1, 'two']);
    expect(await client.askJson('number')).toBe(42);
    const bytes = await (client.send('bytes'), client.frame());
    expect(bytes.binary).toBe(true);
    expect([...bytes.data]).toEqual([9, 8, 7]);
    const u8 = await (client.send('uint8'), client.frame());
    expect([...u8.data]).toEqual([1, 2]);
    // A ResponseSpec from a function is honoured, its strings sent as written.
    expect(await client.ask('spec')).toBe('from spec {{message}}');
    client.send('nothing');
    client.send('null');
    client.send('string');
    expect(await client.next()).toBe('a string');
  });

  it('respond may return a promise, and replies keep the order of the frames', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const mock = server.websocket('/m', {
      matchers: [
        {
          respond: async (msg) => {
            if (msg.text === 'slow') await gate;
            return `re: ${msg.text}`;
          },
        },
      ],
    });
    const client = await connect(mock.url);
    const conn = await mock.waitForConnection();
    client.send('slow');
    client.send('fast');
    await conn.waitForMessage({ type: 'exact', value: 'fast' });
    expect(client.pending).toHaveLength(0);
    release();
    expect(await client.next()).toBe('re: slow');
    expect(await client.next()).toBe('re: fast');
  });

  it('respond may send through the connection itself', async () => {
    const mock = server.websocket('/m', {
      matchers: [
        {
          respond: async (msg, conn) => {
            await conn.send({ step: 1 });
            await conn.send('step 2');
          },
        },
      ],
    });
    const client = await connect(mock.url);
    client.send('go');
    expect(await client.nextJson()).toEqual({ step: 1 });
    expect(await client.next()).toBe('step 2');
  });

  it('a respond that throws or rejects sends nothing, emits error with the ids, and the server keeps serving', async () => {
    const errors: { error: Error; context: { mockId?: string; connectionId?: string } }[] = [];
    const onError = (error: Error, context: { mockId?: string; connectionId?: string }) => errors.push({ error, context });
    server.on('error', onError);
    const mock = server.websocket('/m', {
      id: 'faulty',
      matchers: [
        { match: { type: 'exact', value: 'throw' }, respond: () => { throw new Error('boom'); } },
        { match: { type: 'exact', value: 'reject' }, respond: () => Promise.reject(new Error('async boom')) },
        { match: { type: 'exact', value: 'throw-string' }, respond: () => { throw 'not an error'; } },
        { match: (msg) => msg.text === 'bad-predicate' && (null as unknown as { x: 1 }).x === 1, response: text('never') },
        { match: { type: 'exact', value: 'ok' }, response: text('still here') },
      ],
      defaultResponse: text('default'),
    });
    const client = await connect(mock.url);
    const conn = await mock.waitForConnection();
    client.send('throw');
    client.send('reject');
    client.send('throw-string');
    client.send('bad-predicate');
    await vi.waitFor(() => expect(errors).toHaveLength(4));
    // The throwing predicate counts as no match: the default answers.
    expect(await client.next()).toBe('default');
    expect(await client.ask('ok')).toBe('still here');
    expect(errors.map((e) => e.error.message).sort()).toEqual(
      ['async boom', 'boom', 'not an error', "Cannot read properties of null (reading 'x')"].sort(),
    );
    for (const { context } of errors) expect(context).toEqual({ mockId: 'faulty', connectionId: conn.id });
    server.off('error', onError);
  });
  // Found by the reliability suite: JSON.stringify of what respond returned ran
  // outside the guard, so a circular object crashed the process (synchronous
  // respond) or became an unhandled rejection (async respond).
  it('a respond that returns an unserialisable value (circular, BigInt) is reported, not a crash', async () => {
    const errors: Error[] = [];
    const onError = (error: Error) => errors.push(error);
    server.on('error', onError);
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const mock = server.websocket('/m', {
      matchers: [
        { match: { type: 'exact', value: 'circular' }, respond: () => circular },
        { match: { type: 'exact', value: 'bigint' }, respond: async () => ({ n: 1n }) },
        { match: { type: 'exact', value: 'spec' }, respond: () => ({ type: 'json' as const, value: circular }) },
        { match: { type: 'exact', value: 'ok' }, response: text('still here') },
      ],
    });
    const client = await connect(mock.url);
    client.send('circular');
    client.send('bigint');
    client.send('spec');
    expect(await client.ask('ok')).toBe('still here');
    await vi.waitFor(() => expect(errors).toHaveLength(3));
    expect(errors.every((e) => e instanceof TypeError)).toBe(true);
    server.off('error', onError);
  });

  // Found by the reliability suite's frame fuzzer: jsonpath-plus walks `..`
  // recursively, so a client frame nested a few thousand levels deep overflowed
  // the stack and the server emitted 'error' as if the mock's own code had failed.
  it('a deeply nested frame against a recursive JSONPath is simply no match, not an error', async () => {
    const errors: Error[] = [];
    const onError = (error: Error) => errors.push(error);
    server.on('error', onError);
    const mock = server.websocket('/m', {
      matchers: [
        { match: { type: 'json', path: '$..n', value: 7 }, response: text('seven') },
        { match: { type: 'json', path: '$..items[?(@.n > 2)]' }, response: text('filtered') },
      ],
      defaultResponse: text('default'),
    });
    const client = await connect(mock.url);
    const depth = 5_000;
    expect(await client.ask(`${'{"n":'.repeat(depth)}1${'}'.repeat(depth)}`)).toBe('default');
    expect(await client.ask(`${'['.repeat(depth)}${']'.repeat(depth)}`)).toBe('default');
    expect(await client.ask('{"a":{"n":7}}')).toBe('seven');
    expect(errors).toEqual([]);
    server.off('error', onError);
  });
});

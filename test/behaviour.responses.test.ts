import { describe, expect, it, vi } from 'vitest';
import { connect } from './helpers/client.js';
import { useMockServer } from './helpers/server.js';

const server = useMockServer();

describe('response types', () => {
  it('text sends a text frame, json a JSON text frame, binary the decoded base64 bytes', async () => {
    const mock = server.websocket('/m', {
      matchers: [
        { match: { type: 'exact', value: 't' }, response: { type: 'text', value: 'Hello, World!' } },
        { match: { type: 'exact', value: 'j' }, response: { type: 'json', value: { status: 'ok', data: { n: [1, 2] } } } },
        { match: { type: 'exact', value: 'b' }, response: { type: 'binary', value: 'SGVsbG8gV29ybGQh' } },
        { match: { type: 'exact', value: 'buf' }, response: { type: 'binary', value: Buffer.from([0xff, 0x00]) } },
      ],
    });
    const client = await connect(mock.url);
    const t = await (client.send('t'), client.frame());
    expect(t).toMatchObject({ binary: false, text: 'Hello, World!' });
    const j = await (client.send('j'), client.frame());
    expect(j.binary).toBe(false);
    expect(JSON.parse(j.text)).toEqual({ status: 'ok', data: { n: [1, 2] } });
    const b = await (client.send('b'), client.frame());
    expect(b).toMatchObject({ binary: true, text: 'Hello World!' });
    const buf = await (client.send('buf'), client.frame());
    expect(buf.binary).toBe(true);
    expect([...buf.data]).toEqual([0xff, 0x00]);
  });

  it('a json response may be any JSON value, a string included', async () => {
    const mock = server.websocket('/m', {
      matchers: [
        { match: { type: 'exact', value: 's' }, response: { type: 'json', value: 'just a string' } },
        { match: { type: 'exact', value: 'n' }, response: { type: 'json', value: null } },
        { match: { type: 'exact', value: 'a' }, response: { type: 'json', value: [1, { two: 2 }] } },
      ],
    });
    const client = await connect(mock.url);
    expect(await client.ask('s')).toBe('"just a string"');
    expect(await client.ask('n')).toBe('null');
    expect(await client.askJson('a')).toEqual([1, { two: 2 }]);
  });

  it('the journal records responses with their parsed JSON', async () => {
    const mock = server.websocket('/m', {
      matchers: [{ match: { type: 'exact', value: 'j' }, response: { type: 'json', value: { id: '{{connection.id}}' } } }],
    });
    const client = await connect(mock.url);
    const conn = await mock.waitForConnection();
    await client.ask('j');
    const out = conn.messages.find((m) => m.direction === 'out')!;
    expect(out.json).toEqual({ id: conn.id });
    expect(conn.info.messagesSent).toBe(1);
  });
});

describe('delays and order', () => {
  it('a delayed response waits at least its delay', async () => {
    const mock = server.websocket('/m', {
      matchers: [{ match: { type: 'exact', value: 'x' }, response: { type: 'text', value: 'late', delay: '120ms' } }],
    });
    const client = await connect(mock.url);
    const started = performance.now();
    expect(await client.ask('x')).toBe('late');
    expect(performance.now() - started).toBeGreaterThanOrEqual(115);
  });

  it('an undelayed response queued behind a delayed one waits for it', async () => {
    const mock = server.websocket('/m', {
      matchers: [
        { match: { type: 'exact', value: 'slow' }, response: { type: 'text', value: 'slow reply', delay: 150 } },
        { match: { type: 'exact', value: 'fast' }, response: { type: 'text', value: 'fast reply' } },
      ],
    });
    const client = await connect(mock.url);
    client.send('slow');
    client.send('fast');
    client.send('fast');
    expect(await client.next()).toBe('slow reply');
    expect(await client.next()).toBe('fast reply');
    expect(await client.next()).toBe('fast reply');
  });

  it('responses keep their order whatever their delays', async () => {
    const mock = server.websocket('/m', {
      matchers: [
        {
          match: { type: 'exact', value: 'go' },
          responses: [
            { type: 'text', value: 'one', delay: 80 },
            { type: 'text', value: 'two' },
            { type: 'text', value: 'three', delay: 20 },
          ],
        },
      ],
    });
    const client = await connect(mock.url);
    client.send('go');
    expect([await client.next(), await client.next(), await client.next()]).toEqual(['one', 'two', 'three']);
  });

  it('each delay counts from its trigger: two replies delayed 200 ms do not add up', async () => {
    const mock = server.websocket('/m', {
      matchers: [{ match: { type: 'prefix', value: 'q' }, response: { type: 'text', value: 're {{message}}', delay: 200 } }],
    });
    const client = await connect(mock.url);
    const started = performance.now();
    client.send('q1');
    client.send('q2');
    expect(await client.next()).toBe('re q1');
    expect(await client.next()).toBe('re q2');
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(195);
    expect(elapsed).toBeLessThan(390);
  });

  it('delays are per connection: a delayed reply to one client does not hold up another', async () => {
    const mock = server.websocket('/m', {
      matchers: [
        { match: { type: 'exact', value: 'slow' }, response: { type: 'text', value: 'slow', delay: 300 } },
        { match: { type: 'exact', value: 'fast' }, response: { type: 'text', value: 'fast' } },
      ],
    });
    const a = await connect(mock.url);
    const b = await connect(mock.url);
    a.send('slow');
    expect(await b.ask('fast')).toBe('fast');
    expect(a.pending).toHaveLength(0);
    expect(await a.next()).toBe('slow');
  });

  it('delays run on the real clock while the test has fake timers installed', async () => {
    const mock = server.websocket('/m', {
      matchers: [{ match: { type: 'exact', value: 'x' }, response: { type: 'text', value: 'real clock', delay: 50 } }],
    });
    const client = await connect(mock.url);
    const conn = await mock.waitForConnection();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    try {
      const reply = new Promise<string>((resolve) => server.once('sent', (_c, msg) => resolve(msg.text!)));
      client.ws.send('x');
      await conn.waitForMessage({ type: 'exact', value: 'x' });
      expect(await reply).toBe('real clock');
    } finally {
      vi.useRealTimers();
    }
  });

  it('a burst written in one tick arrives whole and in order, and send() still resolves', async () => {
    const mock = server.websocket('/m', {
      matchers: [
        {
          match: { type: 'exact', value: 'burst' },
          responses: Array.from({ length: 100 }, (_, i) => ({ type: 'text' as const, value: `#${i}` })),
        },
      ],
    });
    const client = await connect(mock.url);
    const conn = await mock.waitForConnection();
    client.send('burst');
    const received: string[] = [];
    for (let i = 0; i < 100; i++) received.push(await client.next());
    expect(received).toEqual(Array.from({ length: 100 }, (_, i) => `#${i}`));
    await Promise.all([conn.send('a'), conn.send({ b: 1 }), conn.send(Buffer.from('c'))]);
    expect([await client.next(), await client.next(), await client.next()]).toEqual(['a', '{"b":1}', 'c']);
  });

  it('a pending delayed response is dropped when its connection closes', async () => {
    const errors = vi.fn();
    server.on('error', errors);
    const mock = server.websocket('/m', {
      matchers: [
        { match: { type: 'exact', value: 'soon' }, response: { type: 'text', value: 'soon', delay: 250 } },
        { match: { type: 'exact', value: 'later' }, response: { type: 'text', value: 'later', delay: 300 } },
      ],
    });
    const first = await connect(mock.url);
    const firstConn = await mock.waitForConnection();
    first.send('soon');
    await firstConn.waitForMessage({ type: 'exact', value: 'soon' });
    await first.close();
    await firstConn.waitForClose();
    // The second connection's reply is due after the first one's would have been.
    const second = await connect(mock.url);
    expect(await second.ask('later')).toBe('later');
    expect(firstConn.messages.filter((m) => m.direction === 'out')).toHaveLength(0);
    expect(errors).not.toHaveBeenCalled();
    server.off('error', errors);
  });
});

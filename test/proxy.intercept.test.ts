//
// The upstream's frames on their way to the client: `intercept` rules and
// `onUpstreamMessage` replace, drop or pass them, in the outbound phase.
//
import { describe, expect, it } from 'vitest';
import { connect } from './helpers/client.js';
import { useMockServer } from './helpers/server.js';
import { useUpstream } from './helpers/upstream.js';

const server = useMockServer();
const upstream = useUpstream();

describe('onUpstreamMessage', () => {
  it('replaces with a response, drops with null, passes with undefined', async () => {
    const mock = server.websocket({
      path: '/p',
      proxy: { url: upstream.url },
      onUpstreamMessage: (message) => {
        if (message.text === 'secret') return null;
        if (message.text === 'price') return { type: 'price', value: 42 };
        if (message.binary) return Buffer.from('replaced bytes');
        return undefined;
      },
    });
    const client = await connect(mock.url);
    await client.send('secret');
    await client.send('price');
    await client.send('plain');
    await client.send(Buffer.from([9]));
    expect(await client.nextJson()).toEqual({ type: 'price', value: 42 });
    expect(await client.next()).toBe('plain');
    const bytes = await client.frame();
    expect([bytes.binary, bytes.text]).toEqual([true, 'replaced bytes']);
    const conn = await mock.waitForConnection();
    // The dropped frame came from the upstream (journaled) but never went out.
    expect(conn.messages.filter((m) => m.direction === 'upstream-in').map((m) => m.text ?? '<bytes>')).toEqual(['secret', 'price', 'plain', '<bytes>']);
    expect(conn.messages.filter((m) => m.direction === 'out').map((m) => m.text ?? String(m.data))).toEqual(['{"type":"price","value":42}', 'plain', 'replaced bytes']);
  });

  it('may answer asynchronously: the upstream frames keep their order', async () => {
    const mock = server.websocket({
      path: '/p',
      proxy: { url: upstream.url },
      onUpstreamMessage: async (message) => {
        if (message.text === 'slow') {
          await new Promise((resolve) => setImmediate(resolve));
          return 'slow, replaced';
        }
        return undefined;
      },
    });
    const client = await connect(mock.url);
    await client.send('slow');
    await client.send('fast');
    expect(await client.next()).toBe('slow, replaced');
    expect(await client.next()).toBe('fast');
  });

  it('one that throws passes the frame and is reported', async () => {
    const errors: Error[] = [];
    server.on('error', (error) => errors.push(error));
    const mock = server.websocket({
      path: '/p',
      proxy: { url: upstream.url },
      onUpstreamMessage: () => {
        throw new Error('handler broke');
      },
    });
    const client = await connect(mock.url);
    expect(await client.ask('through')).toBe('through');
    expect(errors.map((e) => e.message)).toEqual(['handler broke']);
    server.removeAllListeners('error');
  });
});

describe('intercept', () => {
  it('rules replace, drop (noResponse) or add to (forward: true) the upstream frames they match; the rest pass', async () => {
    const mock = server.websocket({
      path: '/p',
      proxy: { url: upstream.url },
      intercept: [
        { match: { type: 'json', path: '$.type', value: 'quote' }, response: { type: 'json', value: { type: 'quote', price: '{{message.price}}0', mocked: true } } },
        { match: { type: 'prefix', value: 'noise' }, noResponse: true },
        { match: { type: 'exact', value: 'tagged' }, response: { type: 'text', value: 'tag' }, forward: true },
      ],
    });
    const client = await connect(mock.url);
    await client.send({ type: 'quote', price: 7 });
    await client.send('noise 1');
    await client.send('tagged');
    await client.send('kept');
    expect(await client.nextJson()).toEqual({ type: 'quote', price: '70', mocked: true });
    expect(await client.next()).toBe('tag');
    expect(await client.next()).toBe('tagged');
    expect(await client.next()).toBe('kept');
  });

  it('a frame that passes waits behind a delayed replacement', async () => {
    const mock = server.websocket({
      path: '/p',
      proxy: { url: upstream.url },
      intercept: [{ match: { type: 'exact', value: 'first' }, response: { type: 'text', value: 'first, late', delay: 50 } }],
    });
    const client = await connect(mock.url);
    await client.send('first');
    await client.send('second');
    expect(await client.next()).toBe('first, late');
    expect(await client.next()).toBe('second');
  });
});

//
// The SignalR kit's MessagePack hub protocol against the real client's
// (@microsoft/signalr-protocol-msgpack): binary frames, varint-prefixed
// messages, beside JSON clients on the same hub.
//
import { Subject } from '@microsoft/signalr';
import { decode } from '@msgpack/msgpack';
import { afterEach, describe, expect, it } from 'vitest';
import { hubClient, nextCall, startedClient, stopHubClients } from './helpers/signalr.js';
import { useMockServer } from './helpers/server.js';

const server = useMockServer();
afterEach(stopHubClients);

describe('issue 25: SignalR MessagePack hub protocol', () => {
  it('the handshake picks messagepack; invoke, send, streams both ways and client results go as binary frames', async () => {
    const hub = server.signalr({
      methods: {
        Add: (a: number, b: number) => a + b,
        Echo: (value: unknown) => value,
        Counter: async function* (n: number) {
          for (let i = 0; i < n; i++) yield { i };
        },
        Sum: async (numbers: AsyncIterable<number>) => {
          let total = 0;
          for await (const n of numbers) total += n;
          return total;
        },
      },
    });
    const client = hubClient(hub, { protocol: 'messagepack' });
    client.on('Ask', (q: string) => `${q}!`);
    await client.start();
    const conn = await hub.waitForConnection();
    expect(conn.protocol).toBe('messagepack');
    expect(conn.connection.messages[0]!.text).toBe('{"protocol":"messagepack","version":1}\u001e');
    const response = conn.connection.messages[1]!;
    expect(response.binary).toBe(true);
    expect(Buffer.from(response.data as Buffer).toString()).toBe('{}\u001e');

    expect(await client.invoke('Add', 2, 40)).toBe(42);
    expect(await client.invoke('Echo', { nested: [1, 'two', null, true] })).toEqual({ nested: [1, 'two', null, true] });
    const items: unknown[] = [];
    await new Promise<void>((resolve, reject) => client.stream('Counter', 2).subscribe({ next: (v) => items.push(v), complete: resolve, error: reject }));
    expect(items).toEqual([{ i: 0 }, { i: 1 }]);
    const numbers = new Subject<number>();
    const sum = client.invoke('Sum', numbers);
    numbers.next(1);
    numbers.next(2);
    numbers.complete();
    expect(await sum).toBe(3);
    expect(await conn.invoke('Ask', 'why')).toBe('why!');

    // On the wire: [length varint][array], the Completion of Add being [3, {}, id, 3 (result), 42].
    const completion = conn.connection.messages.find((m) => m.direction === 'out' && m.binary && (m.data as Buffer)[0] !== 0x7b)!;
    const bytes = completion.data as Buffer;
    expect(bytes[0]).toBe(bytes.length - 1);
    expect(decode(bytes.subarray(1))).toEqual([3, {}, '0', 3, 42]);
  });

  it('mock.send reaches JSON and MessagePack clients alike (encoded once per protocol)', async () => {
    const hub = server.signalr();
    const [json, binary] = [await startedClient(hub), await startedClient(hub, { protocol: 'messagepack' })];
    await hub.waitForConnection();
    await hub.waitForConnection();
    const got = [nextCall(json, 'News'), nextCall(binary, 'News')];
    expect(hub.send('News', 'hello', { n: 1 })).toBe(2);
    expect(await Promise.all(got)).toEqual([
      ['hello', { n: 1 }],
      ['hello', { n: 1 }],
    ]);
  });

  it('errors and an unknown method reach a MessagePack client as Completion errors', async () => {
    const hub = server.signalr({ methods: { Fail: { error: 'nope {{arguments.0}}' } } });
    const client = await startedClient(hub, { protocol: 'messagepack' });
    await expect(client.invoke('Fail', 3)).rejects.toThrow('nope 3');
    await expect(client.invoke('Missing')).rejects.toThrow('Method does not exist.');
  });

  it('protocols: ["json"] refuses a MessagePack client in the handshake', async () => {
    const hub = server.signalr({ protocols: ['json'] });
    const client = hubClient(hub, { protocol: 'messagepack' });
    await expect(client.start()).rejects.toThrow("The protocol 'messagepack' is not supported.");
  });
});

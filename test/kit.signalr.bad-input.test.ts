//
// What the SignalR kit does with what a real client would never send, over
// a raw `ws` socket: the answers of an ASP.NET Core server (a handshake
// error, an error Close, a Completion error, a message ignored), the
// connection alone affected, the server going on.
//
import { decode, encode } from '@msgpack/msgpack';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { SignalRMock } from '../src/index.js';
import { lengthPrefix, readPrefix } from '../src/kits/signalr/msgpack.js';
import { useMockServer } from './helpers/server.js';

const server = useMockServer();
const RS = '\u001e';

/** A raw socket on the hub, with every frame it gets and how it closed. */
async function raw(hub: SignalRMock, handshake?: string) {
  const socket = new WebSocket(hub.url);
  const frames: (string | Buffer)[] = [];
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  socket.on('message', (data, isBinary) => frames.push(isBinary ? (data as Buffer) : String(data)));
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  if (handshake !== undefined) socket.send(handshake);
  return { socket, frames, closed };
}

/** A raw socket whose JSON handshake is done. */
async function opened(hub: SignalRMock) {
  const client = await raw(hub, `{"protocol":"json","version":1}${RS}`);
  return { ...client, conn: await hub.waitForConnection() };
}

const untilFrames = async (frames: unknown[], count: number) => {
  while (frames.length < count) await new Promise((resolve) => setImmediate(resolve));
};

describe('issue 25: SignalR bad input', () => {
  it('a message before the handshake gets the handshake error response, then the close; another connection goes on', async () => {
    const hub = server.signalr({ methods: { Echo: (v: unknown) => v } });
    const good = await opened(hub);
    const bad = await raw(hub, `{"type":1,"target":"Echo","arguments":[1]}${RS}`);
    expect(await bad.closed).toBe(1000);
    expect(bad.frames).toEqual([`{"error":"An unexpected error occurred during connection handshake. InvalidDataException: Missing required property 'protocol'."}${RS}`]);
    good.socket.send(`{"type":1,"invocationId":"1","target":"Echo","arguments":[2]}${RS}`);
    await untilFrames(good.frames, 2);
    expect(good.frames[1]).toBe(`{"type":3,"invocationId":"1","result":2}${RS}`);
    good.socket.close();
  });

  it.each([
    ['not JSON', `{nope${RS}`, 'An unexpected error occurred during connection handshake. InvalidDataException: Error reading JSON.'],
    ['no version', `{"protocol":"json"}${RS}`, "An unexpected error occurred during connection handshake. InvalidDataException: Missing required property 'version'."],
    ['an unknown protocol', `{"protocol":"xml","version":1}${RS}`, "The protocol 'xml' is not supported."],
    ['a version the server lacks', `{"protocol":"json","version":9}${RS}`, "The server does not support version 9 of the 'json' protocol."],
  ])('a handshake with %s is answered with its error, then closed', async (_what, handshake, error) => {
    const hub = server.signalr();
    const client = await raw(hub, handshake);
    expect(await client.closed).toBe(1000);
    expect(client.frames).toEqual([JSON.stringify({ error }) + RS]);
  });

  it('a handshake split over two frames, and a frame with several messages, are read as the server reads its stream', async () => {
    const hub = server.signalr({ methods: { Echo: (v: unknown) => v } });
    const client = await raw(hub, '{"protocol":"js');
    client.socket.send(`on","version":1}${RS}`);
    await hub.waitForConnection();
    client.socket.send(`{"type":1,"invocationId":"a","target":"Echo","arguments":[1]}${RS}{"type":1,"invocationId":"b","target":"Ec`);
    client.socket.send(`ho","arguments":[2]}${RS}`);
    await untilFrames(client.frames, 3);
    expect(client.frames.slice(1)).toEqual([`{"type":3,"invocationId":"a","result":1}${RS}`, `{"type":3,"invocationId":"b","result":2}${RS}`]);
    client.socket.close();
  });

  it.each([
    ['not JSON', `{"type":1,${RS}`, 'Error reading JSON.'],
    ['no type', `{"target":"x"}${RS}`, "Missing required property 'type'."],
    ['an Invocation without target', `{"type":1,"invocationId":"1","arguments":[]}${RS}`, "Missing required property 'target'."],
    ['arguments that are no array', `{"type":1,"target":"x","arguments":{}}${RS}`, "Expected 'arguments' to be of type Array."],
    ['a StreamInvocation without invocationId', `{"type":4,"target":"x","arguments":[]}${RS}`, "Missing required property 'invocationId'."],
  ])('after the handshake, %s ends the connection with an error Close (allowReconnect), the other connection unaffected', async (_what, frame, reason) => {
    const hub = server.signalr();
    const [bad, good] = [await opened(hub), await opened(hub)];
    bad.socket.send(frame);
    expect(await bad.closed).toBe(1000);
    expect(bad.frames.at(-1)).toBe(JSON.stringify({ type: 7, error: `Connection closed with an error. InvalidDataException: ${reason}`, allowReconnect: true }) + RS);
    expect(hub.send('Still', 'here')).toBe(1);
    await untilFrames(good.frames, 2);
    expect(good.frames[1]).toBe(`{"type":1,"target":"Still","arguments":["here"]}${RS}`);
    good.socket.close();
  });

  it('an unknown message type is ignored (later protocol versions add some), a Completion for an unknown id too', async () => {
    const hub = server.signalr({ methods: { Echo: (v: unknown) => v } });
    const client = await opened(hub);
    client.socket.send(`{"type":42,"x":1}${RS}{"type":3,"invocationId":"nobody","result":1}${RS}{"type":1,"invocationId":"1","target":"Echo","arguments":["ok"]}${RS}`);
    await untilFrames(client.frames, 2);
    expect(client.frames[1]).toBe(`{"type":3,"invocationId":"1","result":"ok"}${RS}`);
    client.socket.close();
  });

  it('a message over maximumReceiveMessageSize, or a tail without its separator past it, ends the connection with the server\'s error', async () => {
    const hub = server.signalr({ maximumReceiveMessageSize: 100 });
    const whole = await opened(hub);
    whole.socket.send(`{"type":1,"target":"x","arguments":["${'a'.repeat(200)}"]}${RS}`);
    expect(await whole.closed).toBe(1000);
    expect(whole.frames.at(-1)).toBe(JSON.stringify({ type: 7, error: 'Connection closed with an error. InvalidDataException: The maximum message size of 100B was exceeded.', allowReconnect: true }) + RS);
    const tail = await opened(hub);
    tail.socket.send('{"type":1,"target":"x","arguments":["');
    tail.socket.send('b'.repeat(200));
    expect(await tail.closed).toBe(1000);
    expect(tail.frames.at(-1)).toContain('The maximum message size of 100B was exceeded.');
  });

  it('MessagePack: bytes that are no MessagePack array end the connection with an error Close in MessagePack', async () => {
    const hub = server.signalr();
    const client = await raw(hub, `{"protocol":"messagepack","version":1}${RS}`);
    await hub.waitForConnection();
    const body = Buffer.from([0xc1]);
    client.socket.send(Buffer.concat([lengthPrefix(body.length), body]));
    expect(await client.closed).toBe(1000);
    const last = client.frames.at(-1) as Buffer;
    expect(Buffer.isBuffer(last)).toBe(true);
    const close = decode(last.subarray((readPrefix(last, 0) as { length: number }).length)) as unknown[];
    expect(close[0]).toBe(7);
    expect(close[1]).toMatch(/^Connection closed with an error\. InvalidDataException: Deserializing object of the MessagePack failed/);
    expect(close[2]).toBe(true);
  });

  it('MessagePack: an Invocation array that is too short is refused as the server does', async () => {
    const hub = server.signalr();
    const client = await raw(hub, `{"protocol":"messagepack","version":1}${RS}`);
    await hub.waitForConnection();
    const body = encode([1, {}, '1']);
    client.socket.send(Buffer.concat([lengthPrefix(body.length), body]));
    expect(await client.closed).toBe(1000);
    expect((decode((client.frames.at(-1) as Buffer).subarray(1)) as unknown[])[1]).toBe('Connection closed with an error. InvalidDataException: Invalid payload for Invocation message.');
  });

  it('a client stream the method does not read is bounded: past 1000 unread items the connection ends with an error', async () => {
    const hub = server.signalr({ methods: { Slow: 'manual' } });
    const client = await opened(hub);
    const items = Array.from({ length: 1001 }, (_, i) => `{"type":2,"invocationId":"s1","item":${i}}${RS}`).join('');
    client.socket.send(`{"type":1,"invocationId":"1","target":"Slow","arguments":[],"streamIds":["s1"]}${RS}${items}`);
    expect(await client.closed).toBe(1000);
    expect(client.frames.at(-1)).toContain("The stream 's1' holds 1000 items its method has not read.");
  });

  it('waitForConnection() of a client that never sends its handshake times out, saying so; a manual stream: its items and completion go on the wire, and a late cancel changes nothing', async () => {
    const hub = server.signalr({ methods: { Feed: 'manual' } });
    const silent = await raw(hub);
    await expect(hub.waitForConnection({ timeout: 50 })).rejects.toThrow(/Timed out after 50 ms waiting for the hub handshake of conn-\d+ on mock "mock-\d+"/);
    silent.socket.close();
    const client = await opened(hub);
    client.socket.send(`{"type":4,"invocationId":"s","target":"Feed","arguments":[]}${RS}`);
    const call = await hub.waitForInvocation('Feed');
    await call.item(1);
    await call.complete();
    await untilFrames(client.frames, 3);
    expect(client.frames.slice(1)).toEqual([`{"type":2,"invocationId":"s","item":1}${RS}`, `{"type":3,"invocationId":"s"}${RS}`]);
    client.socket.send(`{"type":5,"invocationId":"s"}${RS}`);
    await expect(call.item(2)).rejects.toThrow('is already answered');
    client.socket.close();
  });

  it('bad arguments of the handles are refused with the rule', async () => {
    const hub = server.signalr();
    const client = await opened(hub);
    const { conn } = client;
    expect(() => hub.send('')).toThrow('send(target, ...args): target must be a non-empty string, got ""');
    expect(() => conn.join(3 as never)).toThrow('join(group): group must be a non-empty string, got 3');
    await expect(conn.invoke(undefined as never)).rejects.toThrow('invoke(target, ...args): target must be a non-empty string');
    await expect(hub.waitForInvocation(5 as never)).rejects.toThrow('waitForInvocation(target): target must be a string, got number');
    await expect(conn.close({ allowReconnect: 'yes' as never })).rejects.toThrow('close({ allowReconnect }): allowReconnect must be a boolean, got string');
    client.socket.close();
  });

  it('bad configs are refused naming the field and the rule', () => {
    expect(() => server.signalr({ methods: { A: { result: 1, error: 'x' } } })).toThrow('methods.A: takes at most one of "result", "error" and "stream", got result and error');
    expect(() => server.signalr({ protocols: ['xml' as never] })).toThrow(/protocols\[0\]: must be "json" or "messagepack"/);
    expect(() => server.signalr({ methods: { A: { send: { target: 'x', to: 'nobody' as never } } } })).toThrow('methods.A: send: to: must be "all", "caller" or "others"');
    expect(() => server.signalr({ methods: { A: { result: '{{#open}}' } } })).toThrow(/methods\.A: result: is not a valid template/);
    expect(() => server.signalr({ maximumReceiveMessageSize: 0 })).toThrow(/maximumReceiveMessageSize.*positive whole number of bytes/s);
  });
});

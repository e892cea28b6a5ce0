//
// The SignalR kit against the real client: @microsoft/signalr 10 with and
// without negotiation, invoke/send/on, streams both ways, client results,
// groups, server pings and Close, and a reconnect after update().
//
import { HttpTransportType, HubConnectionState, Subject } from '@microsoft/signalr';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { hubClient, nextCall, startedClient, stopHubClients } from './helpers/signalr.js';
import { useMockServer } from './helpers/server.js';
import WebSocket from 'ws';
import type { KitState } from '../src/kit/handles.js';
import type { SignalRState } from '../src/kits/signalr/state.js';
import { stateOf } from '../src/mocks/Mock.js';

const server = useMockServer();
afterEach(stopHubClients);

describe('issue 25: SignalR negotiate, handshake and the JSON hub protocol', () => {
  it('negotiates (connectionId + connectionToken, WebSockets and LongPolling with Text and Binary), connects with ?id=<token>, and the connection ids agree', async () => {
    const hub = server.signalr();
    const negotiate = await fetch(`${hub.hubUrl}/negotiate?negotiateVersion=1`, { method: 'POST' });
    expect(negotiate.status).toBe(200);
    const body = (await negotiate.json()) as Record<string, unknown>;
    expect(body).toEqual({
      negotiateVersion: 1,
      connectionId: expect.stringMatching(/^[\w-]{22}$/),
      connectionToken: expect.stringMatching(/^[\w-]{22}$/),
      availableTransports: [
        { transport: 'WebSockets', transferFormats: ['Text', 'Binary'] },
        { transport: 'LongPolling', transferFormats: ['Text', 'Binary'] },
      ],
    });
    const client = await startedClient(hub);
    const conn = await hub.waitForConnection();
    expect(conn.connectionId).toBe(client.connectionId);
    expect(conn.connection.query.id).toMatch(/^[\w-]{22}$/);
    expect(conn.protocol).toBe('json');
    expect(conn.connection.messages[0]!.text).toBe('{"protocol":"json","version":1}\u001e');
    expect(conn.connection.messages[1]!.text).toBe('{}\u001e');
  });

  it('a client limited to Server-Sent Events fails to start (not served); an access token reaches the mock', async () => {
    const hub = server.signalr();
    await expect(hubClient(hub, { http: { transport: HttpTransportType.ServerSentEvents } }).start()).rejects.toThrow('Unable to connect to the server with any of the available transports.');
    expect((await fetch(hub.hubUrl)).status).toBe(400);
    await startedClient(hub, { http: { accessTokenFactory: () => 'tok-1' } });
    const conn = await hub.waitForConnection();
    expect(conn.connection.headers.authorization).toBe('Bearer tok-1');
  });

  it('long polling (JSON and MessagePack): invoke, server sends, a client result, stop() ends the connection; transports: ["WebSockets"] leaves it out', async () => {
    const hub = server.signalr({ methods: { Add: (a: number, b: number) => a + b } });
    for (const protocol of ['json', 'messagepack'] as const) {
      const client = hubClient(hub, { protocol, http: { transport: HttpTransportType.LongPolling } });
      client.on('Ask', (q: string) => `${q}?`);
      await client.start();
      const conn = await hub.waitForConnection();
      expect(conn.connectionId).toBe(client.connectionId);
      expect(await client.invoke('Add', 1, 2)).toBe(3);
      const pushed = nextCall(client, 'News');
      await conn.send('News', 'hello', protocol);
      expect(await pushed).toEqual(['hello', protocol]);
      expect(await conn.invoke('Ask', 'why')).toBe('why?');
      await client.stop();
      expect((await conn.connection.waitForClose()).code).toBe(1000);
    }
    const wsOnly = server.signalr('/ws-only', { transports: ['WebSockets'] });
    const negotiated = (await (await fetch(`${wsOnly.hubUrl}/negotiate?negotiateVersion=1`, { method: 'POST' })).json()) as { availableTransports: unknown[] };
    expect(negotiated.availableTransports).toEqual([{ transport: 'WebSockets', transferFormats: ['Text', 'Binary'] }]);
    await expect(hubClient(wsOnly, { http: { transport: HttpTransportType.LongPolling } }).start()).rejects.toThrow();
  });

  it('a long-polling client is closed by the server with a Close message, and a poll for an unknown id gets 404', async () => {
    const hub = server.signalr();
    const client = hubClient(hub, { http: { transport: HttpTransportType.LongPolling } });
    const closed = new Promise<Error | undefined>((resolve) => client.onclose(resolve));
    await client.start();
    const conn = await hub.waitForConnection();
    await conn.close({ error: 'bye' });
    expect((await closed)?.message).toBe('Server returned an error on close: bye');
    expect((await fetch(`${hub.hubUrl}?id=nope`)).status).toBe(404);
  });

  it('a client with skipNegotiation connects with no id; a WebSocket naming a token negotiate never gave is refused with 404', async () => {
    const hub = server.signalr('/chat', { methods: { Echo: (value: unknown) => value } });
    const client = await startedClient(hub, { skipNegotiation: true });
    const conn = await hub.waitForConnection();
    expect(conn.connection.query.id).toBeUndefined();
    expect(conn.connectionId).toMatch(/^[\w-]{22}$/);
    expect(await client.invoke('Echo', { a: 1 })).toEqual({ a: 1 });
    const socket = new WebSocket(`${hub.url}?id=nope`);
    socket.on('error', () => {});
    const status = await new Promise<number>((resolve) => socket.on('unexpected-response', (_request, response) => resolve(response.statusCode!)));
    socket.terminate();
    expect(status).toBe(404);
  });

  it('invoke resolves with a method\'s returned value, a thrown error rejects with its message, send runs the method with no answer', async () => {
    const seen: unknown[] = [];
    const hub = server.signalr({
      methods: {
        Add: (a: number, b: number) => a + b,
        Later: async (name: string) => `hello ${name}`,
        Boom: () => {
          throw new Error('no such order');
        },
        Note: (text: string, conn: { connectionId: string }) => void seen.push([text, conn.connectionId]),
      },
    });
    const client = await startedClient(hub);
    expect(await client.invoke('Add', 2, 3)).toBe(5);
    expect(await client.invoke('Later', 'ada')).toBe('hello ada');
    await expect(client.invoke('Boom')).rejects.toThrow('no such order');
    await client.send('Note', 'fire and forget');
    const call = await hub.waitForInvocation('Note');
    expect(call.invocationId).toBeUndefined();
    expect(seen).toEqual([['fire and forget', client.connectionId]]);
  });

  it('an unknown method fails the invocation as the server does ("Method does not exist"), and the connection stays usable', async () => {
    const hub = server.signalr({ methods: { Ping: () => 'pong' } });
    const client = await startedClient(hub);
    await expect(client.invoke('Nope', 1)).rejects.toThrow("Failed to invoke 'Nope' due to an error on the server. HubException: Method does not exist.");
    expect(await client.invoke('Ping')).toBe('pong');
    expect(client.state).toBe(HubConnectionState.Connected);
  });

  it('mock.send reaches every client (Clients.All), conn.send only the caller, mock.group (and clients.group) only its members', async () => {
    const hub = server.signalr();
    const [a, b] = [await startedClient(hub), await startedClient(hub)];
    const [connA, connB] = [await hub.waitForConnection(), await hub.waitForConnection()];
    const both = [nextCall(a, 'ReceiveMessage'), nextCall(b, 'ReceiveMessage')];
    expect(hub.send('ReceiveMessage', 'system', 'hi all')).toBe(2);
    expect(await Promise.all(both)).toEqual([
      ['system', 'hi all'],
      ['system', 'hi all'],
    ]);
    const onlyB = nextCall(b, 'Private');
    await connB.send('Private', { n: 1 });
    expect(await onlyB).toEqual([{ n: 1 }]);
    connA.join('room-1');
    expect(hub.groups).toEqual({ 'room-1': 1 });
    expect(connA.groups).toEqual(['room-1']);
    expect(hub.clients.group('room-1').connections.map((c) => c.connectionId)).toEqual([a.connectionId]);
    const inRoom = nextCall(a, 'Room');
    expect(hub.group('room-1').send('Room', 'hello room')).toBe(1);
    expect(await inRoom).toEqual(['hello room']);
    connA.leave('room-1');
    expect(hub.groups).toEqual({});
    expect(hub.clients.group('room-1').send('Room', 'nobody')).toBe(0);
  });

  it('declarative methods: result and error with templates over the arguments, send to all / caller / others / a group', async () => {
    const hub = server.signalr({
      methods: {
        SendMessage: { send: { target: 'ReceiveMessage', args: ['{{arguments.0}}', '{{arguments.1}}'] } },
        Whisper: { send: { target: 'Whispered', args: ['{{arguments.0}}'], to: 'others' }, result: 'sent by {{connectionId}}' },
        Echo: { result: '{{arguments.0}}' },
        Refuse: { error: 'refused {{arguments.0}}' },
        ToRoom: { send: { target: 'Room', args: ['{{arguments.1}}'], group: '{{arguments.0}}' } },
      },
    });
    const [a, b] = [await startedClient(hub), await startedClient(hub)];
    const [connA] = [await hub.waitForConnection(), await hub.waitForConnection()];
    const both = [nextCall(a, 'ReceiveMessage'), nextCall(b, 'ReceiveMessage')];
    await a.invoke('SendMessage', 'ada', 'hello');
    expect(await Promise.all(both)).toEqual([
      ['ada', 'hello'],
      ['ada', 'hello'],
    ]);
    const whispered = nextCall(b, 'Whispered');
    let aGotWhisper = false;
    a.on('Whispered', () => (aGotWhisper = true));
    expect(await a.invoke('Whisper', 'psst')).toBe(`sent by ${a.connectionId}`);
    expect(await whispered).toEqual(['psst']);
    expect(await a.invoke('Echo', { deep: [1, 2] })).toEqual({ deep: [1, 2] });
    await expect(a.invoke('Refuse', 7)).rejects.toThrow('refused 7');
    connA.join('r1');
    const room = nextCall(a, 'Room');
    await b.invoke('ToRoom', 'r1', 'to the room');
    expect(await room).toEqual(['to the room']);
    expect(aGotWhisper).toBe(false);
  });

  it("manual methods: waitForInvocation gives target, arguments and invocationId; complete() resolves the client's invoke, fail() rejects it", async () => {
    const hub = server.signalr({ methods: { GetOrder: 'manual' } });
    const client = await startedClient(hub);
    const first = client.invoke('GetOrder', 7);
    const call = await hub.waitForInvocation('GetOrder');
    expect(call.target).toBe('GetOrder');
    expect(call.arguments).toEqual([7]);
    expect(call.invocationId).toMatch(/^\d+$/);
    expect(call.connection.connectionId).toBe(client.connectionId);
    await call.complete({ id: 7, status: 'shipped' });
    expect(await first).toEqual({ id: 7, status: 'shipped' });
    await expect(call.complete(1)).rejects.toThrow('is already answered');
    const second = client.invoke('GetOrder', 8);
    const call2 = await hub.waitForInvocation('GetOrder');
    expect(call2.arguments).toEqual([8]);
    await call2.fail('not found');
    await expect(second).rejects.toThrow('not found');
  });

  it('complete() on an invocation the mock\'s own method answered is refused, naming "manual"', async () => {
    const hub = server.signalr({ methods: { Echo: (v: unknown) => v } });
    const client = await startedClient(hub);
    await client.invoke('Echo', 1);
    const call = await hub.waitForInvocation('Echo');
    await expect(call.complete(2)).rejects.toThrow(/answers this invocation; mark it 'manual'/);
  });
});

describe('issue 25: SignalR streams both ways and client results', () => {
  it('an async generator method streams its items to connection.stream(); the Completion ends it', async () => {
    const hub = server.signalr({
      methods: {
        Counter: async function* (n: number) {
          for (let i = 1; i <= n; i++) yield i;
        },
      },
    });
    const client = await startedClient(hub);
    const items: unknown[] = [];
    await new Promise<void>((resolve, reject) => client.stream('Counter', 3).subscribe({ next: (v) => items.push(v), complete: resolve, error: reject }));
    expect(items).toEqual([1, 2, 3]);
  });

  it('a stream that throws fails with its message; a declarative stream sends its items; stream() of a non-streaming method is refused', async () => {
    const hub = server.signalr({
      methods: {
        Broken: async function* () {
          yield 'one';
          throw new Error('feed down');
        },
        Fixed: { stream: ['a', '{{arguments.0}}'] },
        Plain: () => 1,
      },
    });
    const client = await startedClient(hub);
    const collect = (name: string, ...args: unknown[]) =>
      new Promise<{ items: unknown[]; error?: string }>((resolve) => {
        const items: unknown[] = [];
        client.stream(name, ...args).subscribe({ next: (v) => items.push(v), complete: () => resolve({ items }), error: (e: Error) => resolve({ items, error: e.message }) });
      });
    expect(await collect('Broken')).toEqual({ items: ['one'], error: 'feed down' });
    expect(await collect('Fixed', 'b')).toEqual({ items: ['a', 'b'] });
    expect(await collect('Plain')).toEqual({ items: [], error: "The client attempted to invoke the non-streaming 'Plain' method with a streaming invocation." });
    await expect(client.invoke('Fixed', 'x')).rejects.toThrow("The client attempted to invoke the streaming 'Fixed' method with a non-streaming invocation.");
  });

  it('CancelInvocation (the subscription disposed) stops the generator', async () => {
    let finished = false;
    const hub = server.signalr({
      methods: {
        Ticks: async function* () {
          try {
            for (let i = 0; ; i++) {
              yield i;
              await new Promise((resolve) => setImmediate(resolve));
            }
          } finally {
            finished = true;
          }
        },
      },
    });
    const client = await startedClient(hub);
    const conn = await hub.waitForConnection();
    const got: unknown[] = [];
    const subscription = client.stream('Ticks').subscribe({ next: (v) => got.push(v), complete: () => {}, error: () => {} });
    await vi.waitFor(() => expect(got.length).toBeGreaterThanOrEqual(2));
    subscription.dispose();
    await conn.connection.waitForMessage((m) => m.direction === 'in' && (m.text ?? '').includes('"type":5'));
    await vi.waitFor(() => expect(finished).toBe(true));
  });

  it("a client's stream to the server (Subject): the method reads it with for await, and answers once it completes", async () => {
    const hub = server.signalr({
      methods: {
        Upload: async (label: string, items: AsyncIterable<string>) => {
          const all: string[] = [];
          for await (const item of items) all.push(item);
          return `${label}: ${all.join(',')}`;
        },
      },
    });
    const client = await startedClient(hub);
    const subject = new Subject<string>();
    const answer = client.invoke('Upload', 'letters', subject);
    subject.next('a');
    subject.next('b');
    subject.complete();
    expect(await answer).toBe('letters: a,b');
    const call = await hub.waitForInvocation('Upload');
    expect(call.arguments).toEqual(['letters']);
    expect(call.streams).toHaveLength(1);
  });

  it('client results: conn.invoke resolves with what the client handler returns, and rejects with its error', async () => {
    const hub = server.signalr();
    const client = hubClient(hub);
    client.on('GetName', (prefix: string) => `${prefix} ada`);
    client.on('Fails', () => {
      throw new Error('client says no');
    });
    await client.start();
    const conn = await hub.waitForConnection();
    expect(await conn.invoke('GetName', 'Dr.')).toBe('Dr. ada');
    await expect(conn.invoke('Fails')).rejects.toThrow('client says no');
    await expect(conn.invoke('Missing')).rejects.toThrow("Client didn't provide a result.");
  });

  it('a manual streaming method: item() sends StreamItems, complete() ends the stream', async () => {
    const hub = server.signalr({ methods: { Feed: 'manual' } });
    const client = await startedClient(hub);
    const items: unknown[] = [];
    const done = new Promise<void>((resolve, reject) => client.stream('Feed').subscribe({ next: (v) => items.push(v), complete: resolve, error: reject }));
    const call = await hub.waitForInvocation('Feed');
    expect(call.streaming).toBe(true);
    await call.item({ price: 1 });
    await call.item({ price: 2 });
    await call.complete();
    await done;
    expect(items).toEqual([{ price: 1 }, { price: 2 }]);
  });
});

describe('issue 25: SignalR pings, Close and reconnect', () => {
  it('the server pings on its interval ({"type":6}), and the timer ends with the connection', async () => {
    const hub = server.signalr({ pingInterval: '20ms' });
    await startedClient(hub);
    const conn = await hub.waitForConnection();
    const pings = () => conn.connection.messages.filter((m) => m.direction === 'out' && m.text === '{"type":6}\u001e').length;
    await vi.waitFor(() => expect(pings()).toBeGreaterThanOrEqual(2));
    const session = stateOf<KitState<SignalRState>>(hub).own.session(conn.connection);
    expect(session.pinging).toBe(true);
    await conn.close();
    await conn.connection.waitForClose();
    expect(session.pinging).toBe(false);
  });

  it('conn.close({ error }) sends Close with the error: the client closes with "Server returned an error on close"', async () => {
    const hub = server.signalr();
    const client = await startedClient(hub);
    const closed = new Promise<Error | undefined>((resolve) => client.onclose(resolve));
    const conn = await hub.waitForConnection();
    await conn.close({ error: 'kicked' });
    expect((await closed)?.message).toBe('Server returned an error on close: kicked');
    expect(conn.connection.messages.filter((m) => m.direction === 'out').at(-1)!.text).toBe('{"type":7,"error":"kicked","allowReconnect":false}\u001e');
  });

  it('close({ allowReconnect: true }) lets a withAutomaticReconnect() client reconnect; allowReconnect false does not', async () => {
    const hub = server.signalr();
    const client = await startedClient(hub, { reconnect: [0, 0, 0] });
    const reconnected = new Promise<string | undefined>((resolve) => client.onreconnected(resolve));
    await (await hub.waitForConnection()).close({ allowReconnect: true });
    expect(await reconnected).toBe(client.connectionId);
    const closed = new Promise<void>((resolve) => client.onclose(() => resolve()));
    await (await hub.waitForConnection()).close({ allowReconnect: false });
    await closed;
    expect(client.state).toBe(HubConnectionState.Disconnected);
  });

  it('withAutomaticReconnect() reconnects after update() (closed with 1012), negotiating again, and runs the new version\'s methods', async () => {
    const hub = server.signalr({ methods: { Version: () => 1 } });
    const client = await startedClient(hub, { reconnect: [0, 0, 0, 0] });
    const first = await hub.waitForConnection();
    expect(await client.invoke('Version')).toBe(1);
    const reconnected = new Promise<string | undefined>((resolve) => client.onreconnected(resolve));
    await hub.update({ methods: { Version: () => 2 } });
    const id = await reconnected;
    const second = await hub.waitForConnection();
    expect(first.connection.closeInfo?.code).toBe(1012);
    expect(second.connectionId).toBe(id);
    expect(second.connectionId).not.toBe(first.connectionId);
    expect(await client.invoke('Version')).toBe(2);
  });
});

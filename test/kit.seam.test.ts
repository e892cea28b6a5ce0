// issue 23: the public kit seam (wsmock/kit). A small line protocol defined
// here with defineKit, driven by real `ws` clients: what a kit writes (connect,
// onMessage, send, close, handle methods) and what it gets for free from the
// seam (lifecycle, stats per type, journal, waits, the admin API's envelopes).
import { describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { allowCrossOrigin, defineKit, handleBrand, KitConnection, KitMock, z } from '../src/kit/index.js';
import { createMockServer, WsMockError } from '../src/index.js';
import { connect, refusal } from './helpers/client.js';
import { useMockServer } from './helpers/server.js';

/** `HELLO name` → `WELCOME name` (or the configured greeting); `BYE` closes with 4000. */
const lineKit = defineKit({
  type: 'line',
  defaultPath: '/line',
  schema: z.object({ greeting: z.string().default('WELCOME'), motd: z.string().optional() }),
  connect(conn, config) {
    conn.data.hellos = 0;
    if (config.motd) void conn.send(`MOTD ${config.motd}`);
    conn.onMessage((message) => {
      const [verb, name] = (message.text ?? '').split(' ');
      if (verb === 'HELLO') {
        conn.data.hellos = (conn.data.hellos as number) + 1;
        void conn.send(`${config.greeting} ${name}`);
      } else if (verb === 'BYE') void conn.close({ code: 4000, reason: 'bye' });
      else void conn.send(`ERR unknown verb ${verb}`);
    });
  },
  mock: {
    /** The name in the next HELLO on any connection. */
    async waitForHello(this: KitMock): Promise<string> {
      const conn = (await this.waitForConnection()) as KitConnection;
      const message = await conn.connection.waitForMessage((m) => (m.text ?? '').startsWith('HELLO '));
      return (message.text ?? '').slice('HELLO '.length);
    },
  },
  connection: {
    /** Sends a server-initiated PING line. */
    ping(this: KitConnection, text: string) {
      return this.send(`PING ${text}`);
    },
  },
});

/** A kit whose connect throws on every connection. */
const throwingKit = defineKit({
  type: 'broken',
  defaultPath: '/broken',
  schema: z.object({}),
  connect() {
    throw new Error('no greeting today');
  },
});

describe('issue 23: a kit defined with defineKit', () => {
  const server = useMockServer({ kits: [lineKit] });

  it('runs connect per connection: onMessage, send, close, data, params, query, headers', async () => {
    const line = server.mocks.add(lineKit, { path: '/line/:room', greeting: 'HI' });
    const client = await connect(`${server.url}/line/lobby?user=ada`, { headers: { 'x-test': 'yes' } });
    const conn = await line.waitForConnection();
    expect(conn).toBeInstanceOf(KitConnection);
    expect(conn.params).toEqual({ room: 'lobby' });
    expect(conn.query).toEqual({ user: 'ada' });
    expect(conn.headers['x-test']).toBe('yes');
    client.ws.send('HELLO ada');
    expect(await client.next()).toBe('HI ada');
    expect(conn.data.hellos).toBe(1);
    await conn.ping('x');
    expect(await client.next()).toBe('PING x');
    client.ws.send('BYE');
    expect(await client.closed).toEqual({ code: 4000, reason: 'bye' });
  });

  it('mock methods run on the handle (this is the mock); config defaults come from the schema', async () => {
    const line = server.mocks.add(lineKit, '/hello');
    expect(line.config).toMatchObject({ path: '/hello', greeting: 'WELCOME' });
    const client = await connect(line.url);
    const hello = line.waitForHello();
    client.ws.send('HELLO grace');
    expect(await hello).toBe('grace');
    expect(await client.next()).toBe('WELCOME grace');
  });

  it('the defaultPath is used when the config names no path', async () => {
    const line = server.mocks.add(lineKit, {});
    expect(line.path).toBe('/line');
  });
});

describe('issue 23: bad kits and bad kit configs', () => {
  it('defineKit names each bad field: type, schema, connect', () => {
    let error: unknown;
    try {
      defineKit({ type: '1 bad', defaultPath: 'nope', schema: { greeting: 'x' } as never } as never);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(WsMockError);
    expect((error as WsMockError).code).toBe('WSMOCK_ERR_INVALID_CONFIG');
    expect((error as WsMockError).issues).toEqual([
      { path: 'type', message: 'must be 1-64 letters, digits or "-", starting with a letter' },
      { path: 'defaultPath', message: 'must be a string starting with "/"' },
      { path: 'schema', message: 'must be a zod object (z.object({ … }) from the z that wsmock/kit exports)' },
      { path: 'connect', message: 'is required: a function (connection, config, mock) run for every connection' },
    ]);
  });

  it('a kit whose type collides with a registered one is refused by createMockServer', async () => {
    const clash = defineKit({ type: 'jsonrpc', defaultPath: '/x', schema: z.object({}), connect() {} });
    await expect(createMockServer({ kits: [clash] })).rejects.toMatchObject({
      code: 'WSMOCK_ERR_INVALID_CONFIG',
      issues: [{ path: 'kits[0].type', message: expect.stringContaining('"jsonrpc" is already the type of another kit') }],
    });
    const twice = defineKit({ type: 'line', defaultPath: '/x', schema: z.object({}), connect() {} });
    await expect(createMockServer({ kits: [lineKit, twice] })).rejects.toMatchObject({ issues: [{ path: 'kits[1].type' }] });
  });

  it('a carrier other than websocket needs a transport; an entry of kits that is not a kit is refused', async () => {
    expect(() => defineKit({ type: 'mqtt', defaultPath: '/m', carrier: 'mqtt', schema: z.object({}), connect() {} })).toThrow(
      /carrier: "mqtt" needs a transport hook that carries its connections/,
    );
    await expect(createMockServer({ kits: [{ type: 'line' } as never] })).rejects.toMatchObject({
      code: 'WSMOCK_ERR_INVALID_CONFIG',
      issues: [{ path: 'kits[0]', message: 'must be a kit made by defineKit() (import { defineKit } from "wsmock/kit")' }],
    });
  });

  it('a kit the server was not given is refused by mocks.add, naming the registered types', async () => {
    const server = await createMockServer();
    try {
      expect(() => server.mocks.add(lineKit, '/line')).toThrow(/"line" is not a kit this server has: pass the kit to createMockServer/);
    } finally {
      await server.close();
    }
  });

  it('an unknown field of a kit config is refused with the field named', async () => {
    const server = await createMockServer({ kits: [lineKit] });
    try {
      expect(() => server.mocks.add(lineKit, { path: '/l', greting: 'x' } as never)).toThrow(/greting/);
    } finally {
      await server.close();
    }
  });

  it('refuses a handshake on a removed mock (404) like any mock', async () => {
    const server = await createMockServer({ kits: [lineKit] });
    try {
      const line = server.mocks.add(lineKit, '/gone');
      await line.remove();
      expect((await refusal(`${server.url}/gone`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});

describe('issue 23: what a kit gets from the seam for free', () => {
  const server = useMockServer({ kits: [lineKit, throwingKit] });

  it('update() closes its clients with 1012 and new clients get the new config; disable() refuses with 503, enable() accepts again', async () => {
    const line = server.mocks.add(lineKit, '/life');
    const first = await connect(line.url);
    await line.waitForConnection();
    expect(await line.update({ greeting: 'YO' })).toBe(1);
    expect(await first.closed).toEqual({ code: 1012, reason: 'mock updated' });
    const second = await connect(line.url);
    second.ws.send('HELLO ada');
    expect(await second.next()).toBe('YO ada');
    await line.disable();
    expect((await refusal(line.url)).status).toBe(503);
    await line.enable();
    await (await connect(line.url)).close();
  });

  it('waitForConnection is race-free (a connection that arrived before the call), the journal keeps both directions', async () => {
    const line = server.mocks.add(lineKit, '/journal');
    const client = await connect(line.url);
    client.ws.send('HELLO ada');
    expect(await client.next()).toBe('WELCOME ada');
    const conn = await line.waitForConnection();
    expect(conn.connection.messages.map((m) => [m.direction, m.text])).toEqual([
      ['in', 'HELLO ada'],
      ['out', 'WELCOME ada'],
    ]);
    expect(line.messages.map((m) => m.text)).toEqual(['HELLO ada', 'WELCOME ada']);
  });

  it('a plain kit\'s mock broadcasts raw frames; a handle class (Socket.IO, GraphQL) has no raw broadcast that would break its protocol', async () => {
    const line = server.mocks.add(lineKit, '/broadcast');
    const a = await connect(line.url);
    const b = await connect(line.url);
    await line.waitForConnectionCount(2);
    expect(line.broadcast('NEWS 1')).toBe(2);
    expect([await a.next(), await b.next()]).toEqual(['NEWS 1', 'NEWS 1']);
    expect('broadcast' in server.socketio('/io-b/')).toBe(false);
    expect('broadcast' in server.graphql('/gql-b')).toBe(false);
  });

  it('record: true records a kit\'s frames as they crossed the wire, for server.recording(id)', async () => {
    const line = server.mocks.add(lineKit, { path: '/recorded', record: true });
    const client = await connect(line.url);
    client.ws.send('HELLO ada');
    expect(await client.next()).toBe('WELCOME ada');
    client.ws.close(1000);
    await (await line.waitForConnection()).connection.waitForClose();
    const [recorded] = server.recording(line.id).connections;
    expect(recorded!.frames.map((f) => [f.direction, f.text])).toEqual([
      ['client-to-server', 'HELLO ada'],
      ['server-to-client', 'WELCOME ada'],
    ]);
    expect(recorded!.close).toMatchObject({ code: 1000, by: 'client' });
  });

  it('a kit mock\'s own chaos applies to its connections (refuse, then drop every frame it sends)', async () => {
    const line = server.mocks.add(lineKit, { path: '/chaotic', chaos: { refuse: { first: 1, status: 503 }, drop: 1 } });
    expect((await refusal(line.url)).status).toBe(503);
    const client = await connect(line.url);
    client.ws.send('HELLO ada');
    client.ws.send('BYE');
    // The greeting is dropped; BYE's close still arrives (chaos drops frames, not closes).
    expect(await client.closed).toEqual({ code: 4000, reason: 'bye' });
    expect(client.received).toEqual([]);
  });

  it('stats() counts the kit\'s connections per mock and per type, and connections.list() lists them', async () => {
    const line = server.mocks.add(lineKit, '/stats');
    const client = await connect(line.url);
    const conn = await line.waitForConnection();
    client.ws.send('HELLO ada');
    await client.next();
    const stats = server.stats();
    expect(stats.connectionsByMock[line.id]).toBe(1);
    expect(stats.byType.websocket).toMatchObject({ totalConnections: 1, activeConnections: 1, totalMessagesRecv: 1, totalMessagesSent: 1 });
    expect(stats.byType.sse).toMatchObject({ totalConnections: 0 });
    expect(server.connections.list({ mockId: line.id }).map((info) => info.id)).toEqual([conn.id]);
    expect(() => server.connections.list({ type: 'mqtt' })).toThrow('type must be "websocket" or "sse", got "mqtt"');
  });

  it('the admin API defines a mock of the kit from its envelope, reads it back, and names the known types for an unknown one', async () => {
    const { adminClient } = await import('./helpers/admin.js');
    const admin = adminClient(server.adminUrl ?? (await server.listenAdmin()));
    const created = await admin.post('/mocks', { id: 'lines', type: 'line', line: { path: '/admin-line', greeting: 'HEY' } });
    expect(created.status).toBe(201);
    expect((await admin.get('/mocks/lines')).body).toEqual({ id: 'lines', type: 'line', enabled: true, line: { path: '/admin-line', greeting: 'HEY' } });
    const client = await connect(`${server.url}/admin-line`);
    client.ws.send('HELLO ada');
    expect(await client.next()).toBe('HEY ada');
    const bad = await admin.post('/mocks', { type: 'lines', lines: { path: '/x' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('validation_error');
    expect(bad.body.details).toEqual([{ path: 'type', message: 'must be one of "websocket", "socketio", "graphql", "jsonrpc", "sse", "pusher", "actioncable", "phoenix", "supabase", "mqtt", "stomp", "signalr", "line", "broken"' }]);
    const badField = await admin.post('/mocks', { type: 'line', line: { path: '/y', greeting: 3 } });
    expect(badField.status).toBe(400);
    expect(badField.body.details).toEqual([{ path: 'line.greeting', message: 'must be string, received number' }]);
  });

  it('a connect that throws closes the connection with 1011, reaches server.on("error"), and the server goes on', async () => {
    const healthyMock = server.mocks.add(lineKit, '/fine', { motd: 'x' });
    const errors: [Error, unknown][] = [];
    const onError = (error: Error, context: unknown) => errors.push([error, context]);
    server.on('error', onError);
    try {
      const broken = server.mocks.add(throwingKit, '/broken');
      const client = await connect(broken.url);
      expect(await client.closed).toEqual({ code: 1011, reason: 'kit "broken" failed' });
      expect(errors).toHaveLength(1);
      expect(errors[0]![0].message).toMatch(/^kit "broken": connect failed on conn-\d+: no greeting today$/);
      expect(errors[0]![1]).toMatchObject({ mockId: broken.id });
      const healthy = await connect(healthyMock.url);
      expect(await healthy.next()).toBe('MOTD x');
    } finally {
      server.off('error', onError);
    }
  });
});

describe('issue 23: config files and envelopes of a kit', () => {
  const yaml = 'mocks:\n  - id: l\n    type: line\n    line:\n      path: /line\n      greeting: HI\n';

  it('a config file with a kit\'s type loads when the kit is given, and names the known types when it is not', async () => {
    const { parseConfig } = await import('../src/index.js');
    expect(parseConfig(yaml, 'line.yaml', { kits: [lineKit] }).mocks).toEqual([{ id: 'l', type: 'line', line: { path: '/line', greeting: 'HI' } }]);
    let error: unknown;
    try {
      parseConfig(yaml, 'line.yaml');
    } catch (err) {
      error = err;
    }
    expect(error).toMatchObject({
      code: 'WSMOCK_ERR_INVALID_CONFIG',
      issues: [{ path: 'mocks[0].type', message: 'must be one of "websocket", "socketio", "graphql", "jsonrpc", "sse", "pusher", "actioncable", "phoenix", "supabase", "mqtt", "stomp", "signalr"', file: 'line.yaml', line: 3 }],
    });
  });

  it('createMockServer({ kits, mocks }) defines an envelope of the kit before listening', async () => {
    const server = await createMockServer({ kits: [lineKit, throwingKit], mocks: [{ type: 'line', line: { path: '/start' } }] });
    try {
      const client = await connect(`${server.url}/start`);
      client.ws.send('HELLO ada');
      expect(await client.next()).toBe('WELCOME ada');
      await client.close();
    } finally {
      await server.close();
    }
    await expect(createMockServer({ mocks: [{ type: 'line', line: { path: '/start' } }] })).rejects.toMatchObject({
      code: 'WSMOCK_ERR_INVALID_CONFIG',
      issues: [{ path: 'mocks[0].type', message: expect.stringMatching(/^must be one of "websocket"/) }],
    });
  });
});

describe('issue 23: a kit listener that returns what it sends', () => {
  it('a rejected promise from onMessage reaches server.on("error"), and the connection stays open', async () => {
    const rejecting = defineKit({
      type: 'rejecting',
      defaultPath: '/rejecting',
      schema: z.object({}),
      connect(conn) {
        conn.onMessage((message) => (message.text === 'fail' ? Promise.reject(new Error('send failed')) : conn.send(`ok ${message.text}`)));
      },
    });
    const server = await createMockServer({ kits: [rejecting] });
    try {
      const mock = server.mocks.add(rejecting, {});
      const reported = new Promise<Error>((resolve) => server.once('error', resolve));
      const client = await connect(mock.url);
      client.ws.send('fail');
      expect((await reported).message).toBe('send failed');
      client.ws.send('again');
      expect(await client.next()).toBe('ok again');
      await client.close();
    } finally {
      await server.close();
    }
  });
});

describe('handleBrand: instanceof across copies of wsmock', () => {
  it('a brand recognises what a brand of the same name marked (as another copy would make it), and nothing else', () => {
    const here = handleBrand('seam-test.thing');
    const otherCopy = handleBrand('seam-test.thing');
    const otherKind = handleBrand('seam-test.other');
    class Thing {
      constructor() {
        here.mark(this);
      }
      static [Symbol.hasInstance](value: unknown): boolean {
        return here.test(value);
      }
    }
    const thing = new Thing();
    expect(otherCopy.test(thing)).toBe(true);
    expect(otherKind.test(thing)).toBe(false);
    const lookalike = {};
    otherCopy.mark(lookalike);
    expect(lookalike instanceof Thing).toBe(true);
    expect({} instanceof Thing).toBe(false);
    expect(here.test(null)).toBe(false);
    expect(here.test('seam-test.thing')).toBe(false);
  });
});

describe('allowCrossOrigin: the CORS answers of a kit endpoint', () => {
  async function withEndpoint(options: Parameters<typeof allowCrossOrigin>[2], run: (url: string) => Promise<void>): Promise<void> {
    const endpoint = createServer((request, response) => {
      if (allowCrossOrigin(request, response, options)) return;
      response.writeHead(200, { 'content-type': 'text/plain' }).end('served');
    });
    await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
    try {
      await run(`http://127.0.0.1:${(endpoint.address() as AddressInfo).port}/x`);
    } finally {
      await new Promise<void>((resolve) => endpoint.close(() => resolve()));
    }
  }

  it('echoes an origin with credentials, answers its preflight with 204, and adds nothing without an origin', async () => {
    await withEndpoint({ methods: 'GET, POST' }, async (url) => {
      const get = await fetch(url, { headers: { origin: 'http://app.test' } });
      expect(await get.text()).toBe('served');
      expect(get.headers.get('access-control-allow-origin')).toBe('http://app.test');
      expect(get.headers.get('access-control-allow-credentials')).toBe('true');
      expect(get.headers.get('vary')).toBe('Origin');
      const preflight = await fetch(url, { method: 'OPTIONS', headers: { origin: 'http://app.test', 'access-control-request-headers': 'x-token' } });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-methods')).toBe('GET, POST');
      expect(preflight.headers.get('access-control-allow-headers')).toBe('x-token');
      expect(preflight.headers.get('access-control-max-age')).toBeNull();
      const plain = await fetch(url, { method: 'OPTIONS' });
      expect(await plain.text()).toBe('served');
      expect(plain.headers.get('access-control-allow-origin')).toBeNull();
    });
  });

  it('with anyOrigin (SockJS) answers no origin and the null origin with *, and a preflight with its max-age', async () => {
    await withEndpoint({ methods: 'OPTIONS, POST', anyOrigin: true, maxAge: 31536000 }, async (url) => {
      const none = await fetch(url);
      expect(none.headers.get('access-control-allow-origin')).toBe('*');
      expect(none.headers.get('access-control-allow-credentials')).toBeNull();
      const nullOrigin = await fetch(url, { method: 'OPTIONS', headers: { origin: 'null' } });
      expect(nullOrigin.status).toBe(204);
      expect(nullOrigin.headers.get('access-control-allow-origin')).toBe('*');
      expect(nullOrigin.headers.get('access-control-max-age')).toBe('31536000');
      expect(nullOrigin.headers.get('access-control-allow-methods')).toBe('OPTIONS, POST');
    });
  });
});

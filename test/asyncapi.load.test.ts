//
// loadAsyncApi: AsyncAPI 2.6, 3.0 and 3.1 documents (YAML or JSON, files or
// objects, $refs across files) read into the contract model, and the payload
// validators it compiles. The synthetic chat contracts in
// test/fixtures/asyncapi/load/ say the same thing in 2.6 and 3.0.
//
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAsyncApi } from '../src/index.js';
import type { AsyncApiContract } from '../src/index.js';
import { scratchDir } from './helpers/files.js';
import { root } from './helpers/pack.js';

const fixtures = join(root, 'test', 'fixtures', 'asyncapi', 'load');
const fixture = (name: string) => join(fixtures, name);

function summary(contract: AsyncApiContract) {
  return {
    channels: contract.channels.map((c) => ({ id: c.id, path: c.path, servers: c.servers, messages: c.messages.map((m) => m.key) })),
    skipped: contract.skipped,
    operations: contract.operations.map((o) => ({
      id: o.id,
      action: o.action,
      channel: o.channel.id,
      messages: o.messages.map((m) => m.key),
      reply: o.reply && { channel: o.reply.channel.id, messages: o.reply.messages.map((m) => m.key) },
    })),
  };
}

const TEXT = { type: 'string', minLength: 1, maxLength: 200 };

describe('issue 26: loadAsyncApi reads AsyncAPI 2.6', () => {
  it('normalises channels, parameters, the ws binding, servers, operations and x-reply', async () => {
    const contract = await loadAsyncApi(fixture('chat-2.6.yaml'));
    expect(contract.version).toBe('2.6.0');
    expect(contract.title).toBe('Chat');
    expect(contract.file).toBe(fixture('chat-2.6.yaml'));
    expect(contract.servers).toEqual([
      { name: 'public', protocol: 'ws', host: 'chat.example.com', pathname: '/ws' },
      { name: 'broker', protocol: 'mqtt', host: 'broker.example.com', pathname: undefined },
    ]);
    expect(summary(contract)).toEqual({
      channels: [
        { id: '/rooms/{room}', path: '/rooms/:room', servers: ['public'], messages: ['say', 'ping', 'said', 'pong', 'tree'] },
        { id: '/status', path: '/status', servers: [], messages: ['status'] },
      ],
      skipped: [{ channel: 'sensors/{id}', reason: 'on no WebSocket server (ws, wss): only on broker (mqtt)' }],
      operations: [
        // publish: the server receives; the oneOf's messages each have their own x-reply, so one operation each.
        { id: 'talk.say', action: 'receive', channel: '/rooms/{room}', messages: ['say'], reply: { channel: '/rooms/{room}', messages: ['said'] } },
        { id: 'talk.ping', action: 'receive', channel: '/rooms/{room}', messages: ['ping'], reply: { channel: '/rooms/{room}', messages: ['pong'] } },
        { id: 'hear', action: 'send', channel: '/rooms/{room}', messages: ['said', 'pong', 'tree'], reply: undefined },
        { id: 'status', action: 'send', channel: '/status', messages: ['status'], reply: undefined },
      ],
    });
    const room = contract.channels[0]!;
    expect(room.address).toBe('/rooms/{room}');
    expect(room.parameters).toEqual({ room: { type: 'string', enum: ['lobby', 'games'] } });
    expect(room.binding).toEqual({
      query: { type: 'object', properties: { token: { type: 'string' } }, required: ['token'] },
      headers: { type: 'object', properties: { 'X-Client': { type: 'string' } } },
    });
    expect([...contract.messages.keys()]).toEqual(['say', 'ping', 'said', 'pong', 'tree', 'status']);
  });

  it('reads messages by key, messageId and name, with $refs across files resolved, examples and correlation ids', async () => {
    const contract = await loadAsyncApi(fixture('chat-2.6.yaml'));
    const ping = contract.message('pingMessage');
    expect(ping?.key).toBe('ping');
    expect(ping?.messageId).toBe('pingMessage');
    expect(ping?.correlationPointer).toBe('/id');
    expect(contract.message('ping')).toBe(ping);
    const say = contract.message('say')!;
    expect(say.name).toBe('say');
    // messages-2.6.yaml refers to schemas.yaml: both resolved.
    expect((say.payload as { properties: Record<string, unknown> }).properties.text).toEqual(TEXT);
    expect(contract.message('pong')!.examples).toEqual([{ type: 'pong', id: 'one' }]);
    expect(contract.message('status')!.examples).toEqual([]);
    expect(contract.message('nothing')).toBeUndefined();
  });

  it('keeps an example that fails its own schema as written and lists it in warnings, with skipped channels', async () => {
    const contract = await loadAsyncApi(fixture('chat-2.6.yaml'));
    expect(contract.warnings).toEqual([
      {
        path: '$.components.messages.pong.examples[0].payload',
        message: 'example 1 of message "pong" does not fit its payload schema ($.id must be integer): it is kept as written',
      },
      { path: "$.channels['sensors/{id}']", message: 'channel "sensors/{id}" is skipped: on no WebSocket server (ws, wss): only on broker (mqtt)' },
    ]);
  });
});

describe('issue 26: loadAsyncApi reads AsyncAPI 3.0 and 3.1', () => {
  it('normalises channels, operations with reply (channel and messages by $ref), servers and a null address', async () => {
    const contract = await loadAsyncApi(fixture('chat-3.0.yaml'));
    expect(contract.version).toBe('3.0.0');
    expect(contract.servers).toEqual([
      { name: 'public', protocol: 'wss', host: 'chat.example.com', pathname: '/ws' },
      { name: 'broker', protocol: 'mqtt', host: 'broker.example.com', pathname: undefined },
    ]);
    expect(summary(contract)).toEqual({
      channels: [{ id: 'room', path: '/rooms/:room', servers: ['public'], messages: ['room.say', 'room.said', 'ping', 'pong', 'room.tree'] }],
      skipped: [
        { channel: 'sensors', reason: 'on no WebSocket server (ws, wss): only on broker (mqtt)' },
        { channel: 'inbox', reason: 'its address is null (unknown until run time): there is no path to serve' },
      ],
      operations: [
        // No reply channel: the operation's own.
        { id: 'talk', action: 'receive', channel: 'room', messages: ['room.say'], reply: { channel: 'room', messages: ['room.said'] } },
        { id: 'ping', action: 'receive', channel: 'room', messages: ['ping'], reply: { channel: 'room', messages: ['pong'] } },
        { id: 'hear', action: 'send', channel: 'room', messages: ['room.said', 'room.tree'], reply: undefined },
      ],
    });
    const room = contract.channels[0]!;
    expect(room.parameters).toEqual({ room: { type: 'string', enum: ['lobby', 'games'], default: 'lobby' } });
    expect(room.binding).toEqual({ query: { type: 'object', properties: { token: { type: 'string' } }, required: ['token'] }, headers: undefined });
    // A reply message named through `#/channels/room/messages/pong` is the channel's own message.
    expect(contract.operations[1]!.reply!.messages[0]).toBe(contract.message('pong'));
    expect(contract.message('pong')!.correlationPointer).toBe('/id');
    expect(contract.message('said')?.key).toBe('room.said');
    expect((contract.message('said')!.payload as { properties: Record<string, unknown> }).properties.text).toEqual(TEXT);
  });

  it('reads a 3.1 document, an operation without messages taking all its channel\'s, and a reply on another channel', async () => {
    const contract = await loadAsyncApi({
      asyncapi: '3.1.0',
      info: { title: 'Quotes', version: '1' },
      channels: {
        ask: { address: 'quotes', messages: { ask: { payload: { type: 'object', properties: { symbol: { type: 'string' } } } } } },
        answer: { address: 'quotes/answers', messages: { quote: { name: 'quote', payload: { type: 'number' } }, error: { payload: { type: 'string' } } } },
      },
      operations: {
        ask: { action: 'receive', channel: { $ref: '#/channels/ask' }, reply: { channel: { $ref: '#/channels/answer' } } },
      },
    });
    expect(contract.version).toBe('3.1.0');
    expect(summary(contract)).toEqual({
      channels: [
        { id: 'ask', path: '/quotes', servers: [], messages: ['ask.ask'] },
        { id: 'answer', path: '/quotes/answers', servers: [], messages: ['answer.quote', 'answer.error'] },
      ],
      skipped: [],
      operations: [{ id: 'ask', action: 'receive', channel: 'ask', messages: ['ask.ask'], reply: { channel: 'answer', messages: ['answer.quote', 'answer.error'] } }],
    });
    expect(contract.file).toBeUndefined();
    expect(contract.message('quote')?.key).toBe('answer.quote');
  });
});

describe('issue 26: which channels are served', () => {
  it('options.server serves that server\'s channels; an unknown or non-WebSocket server is an error naming it', async () => {
    const contract = await loadAsyncApi(fixture('chat-3.0.yaml'), { server: 'public' });
    expect(contract.channels.map((c) => c.id)).toEqual(['room']);
    await expect(loadAsyncApi(fixture('chat-3.0.yaml'), { server: 'broker' })).rejects.toMatchObject({
      code: 'WSMOCK_ERR_INVALID_CONFIG',
      message: expect.stringContaining('server "broker" speaks "mqtt", not WebSocket (ws or wss)'),
    });
    await expect(loadAsyncApi(fixture('chat-3.0.yaml'), { server: 'prod' })).rejects.toMatchObject({
      code: 'WSMOCK_ERR_INVALID_CONFIG',
      message: expect.stringContaining('server "prod" is not in the document: its servers are public, broker'),
    });
  });

  it('a channel on every server follows the chosen one; a document without servers serves every channel', async () => {
    const withServer = await loadAsyncApi(fixture('chat-2.6.yaml'), { server: 'public' });
    expect(withServer.channels.map((c) => c.id)).toEqual(['/rooms/{room}', '/status']);
    expect(withServer.skipped).toEqual([{ channel: 'sensors/{id}', reason: 'not on server "public" (only on broker)' }]);
    const noServers = await loadAsyncApi({
      asyncapi: '2.6.0',
      info: { title: 'Bare', version: '1' },
      channels: { a: { subscribe: { message: { payload: { type: 'string' } } } }, b: { publish: { message: { payload: { type: 'number' } } } } },
    });
    expect(noServers.channels.map((c) => c.path)).toEqual(['/a', '/b']);
    expect(noServers.skipped).toEqual([]);
    expect(noServers.operations.map((o) => [o.id, o.action, o.messages[0]!.key])).toEqual([
      ['a.subscribe', 'send', 'a.subscribe'],
      ['b.publish', 'receive', 'b.publish'],
    ]);
  });

  it('with servers but none WebSocket, every channel is skipped with the reason', async () => {
    const contract = await loadAsyncApi({
      asyncapi: '3.0.0',
      info: { title: 'Lights', version: '1' },
      servers: { broker: { host: 'b', protocol: 'mqtt' } },
      channels: { lights: { address: 'lights', messages: { on: { payload: { type: 'boolean' } } } } },
    });
    expect(contract.channels).toEqual([]);
    expect(contract.skipped).toEqual([{ channel: 'lights', reason: "on no WebSocket server (ws, wss): the document's servers are broker (mqtt)" }]);
    expect(contract.messages.size).toBe(0);
  });
});

describe('issue 26: payload validators', () => {
  it('name each error with a JSON path from the payload root, a missing property at its own path', async () => {
    const contract = await loadAsyncApi(fixture('chat-3.0.yaml'));
    const said = contract.message('said')!;
    expect(said.validate({ type: 'said', text: 'hi', from: 'a@example.com', seq: 2 })).toEqual([]);
    expect(said.validate({ type: 'sad', text: '', from: 'nobody', seq: 10 })).toEqual([
      { path: '$.type', message: 'must be "said"', keyword: 'const' },
      { path: '$.text', message: 'must NOT have fewer than 1 characters', keyword: 'minLength' },
      { path: '$.from', message: 'must match format "email"', keyword: 'format' },
      { path: '$.seq', message: 'must be <= 9', keyword: 'maximum' },
    ]);
    expect(said.validate({ type: 'said', text: 'hi' })).toEqual([
      { path: '$.from', message: 'is required', keyword: 'required' },
      { path: '$.seq', message: 'is required', keyword: 'required' },
    ]);
    expect(said.validate('said')).toEqual([{ path: '$', message: 'must be object', keyword: 'type' }]);
  });

  it('validate a recursive schema (refs across files) at any depth', async () => {
    const contract = await loadAsyncApi(fixture('chat-2.6.yaml'));
    const tree = contract.message('tree')!;
    expect(tree.validate({ name: 'a', children: [{ name: 'b', children: [{ name: 'c', children: [] }] }] })).toEqual([]);
    expect(tree.validate({ name: 'a', children: [{ name: 'b', children: [{ name: 3 }, { children: [] }] }] })).toEqual([
      { path: '$.children[0].children[0].name', message: 'must be string', keyword: 'type' },
      { path: '$.children[0].children[1].name', message: 'is required', keyword: 'required' },
    ]);
  });

  it('a payload in a schema format other than JSON Schema (Avro) is accepted as any payload, with a warning', async () => {
    const avro = { type: 'record', name: 'Reading', fields: [{ name: 'value', type: 'double' }] };
    const v2 = await loadAsyncApi({
      asyncapi: '2.6.0',
      info: { title: 'Sensors', version: '1' },
      channels: { readings: { subscribe: { message: { name: 'reading', schemaFormat: 'application/vnd.apache.avro;version=1.9.0', payload: avro } } } },
    });
    const v3 = await loadAsyncApi({
      asyncapi: '3.0.0',
      info: { title: 'Sensors', version: '1' },
      channels: { readings: { address: 'readings', messages: { reading: { name: 'reading', payload: { schemaFormat: 'application/vnd.apache.avro;version=1.9.0', schema: avro } } } } },
    });
    for (const contract of [v2, v3]) {
      const reading = contract.message('reading')!;
      expect(reading.payload).toBeUndefined();
      expect(reading.validate({ anything: true })).toEqual([]);
      expect(contract.warnings).toHaveLength(1);
      expect(contract.warnings[0]!.message).toContain('payload schema format "application/vnd.apache.avro;version=1.9.0" is not JSON Schema nor AsyncAPI\'s');
      expect(contract.warnings[0]!.message).toContain('any payload is accepted');
    }
    // An AsyncAPI or JSON Schema format is read as a schema.
    const json = await loadAsyncApi({
      asyncapi: '3.0.0',
      info: { title: 'T', version: '1' },
      channels: { c: { address: 'c', messages: { m: { payload: { schemaFormat: 'application/schema+json;version=draft-07', schema: { type: 'integer' } } } } } },
    });
    expect(json.message('c.m')!.validate('x')).toEqual([{ path: '$', message: 'must be integer', keyword: 'type' }]);
  });
});

describe('issue 26: examples and message traits', () => {
  it('reads examples[].payload (an example of headers only has none), and applies traits under the message\'s own fields', async () => {
    const contract = await loadAsyncApi({
      asyncapi: '2.6.0',
      info: { title: 'T', version: '1' },
      channels: {
        '/a': {
          subscribe: {
            message: {
              oneOf: [
                { name: 'wrapped', payload: { type: 'object' }, examples: [{ name: 'first', payload: { n: 1 } }, { headers: { h: 'x' } }, { payload: { n: 2 } }] },
                {
                  name: 'traited',
                  summary: 'own summary',
                  payload: { type: 'object' },
                  traits: [{ summary: 'trait summary', correlationId: { location: '$message.payload#/cid' } }, { examples: [{ payload: { cid: 'c1' } }] }],
                },
              ],
            },
          },
        },
      },
    });
    expect(contract.message('wrapped')!.examples).toEqual([{ n: 1 }, { n: 2 }]);
    const traited = contract.message('traited')!;
    expect(traited.summary).toBe('own summary');
    expect(traited.correlationPointer).toBe('/cid');
    expect(traited.examples).toEqual([{ cid: 'c1' }]);
    // Two messages in one subscribe, no x-reply: one operation.
    expect(contract.operations.map((o) => [o.id, o.messages.map((m) => m.key)])).toEqual([['/a.subscribe', ['wrapped', 'traited']]]);
  });
});

describe('issue 26: documents as files or objects, YAML or JSON', () => {
  it('tells JSON from YAML by content, and reads an object\'s file $refs from baseDir', async () => {
    const scratch = scratchDir('wsmock-asyncapi-');
    const doc = {
      asyncapi: '3.0.0',
      info: { title: 'J', version: '1' },
      channels: { echo: { address: '/echo', messages: { text: { $ref: './parts.json#/text' } } } },
    };
    scratch.file('parts.json', JSON.stringify({ text: { payload: { type: 'string' } } }));
    // JSON in a .yaml file and YAML in a .json file: read by what they hold.
    const asJson = await loadAsyncApi(scratch.file('api.yaml', JSON.stringify(doc, null, 2)));
    const asYaml = await loadAsyncApi(scratch.file('api.json', 'asyncapi: 3.0.0\ninfo: { title: Y, version: "1" }\nchannels:\n  echo:\n    address: /echo\n    messages:\n      text: { $ref: "./parts.json#/text" }\n'));
    const asObject = await loadAsyncApi(doc, { baseDir: scratch.dir });
    for (const contract of [asJson, asYaml, asObject]) {
      expect(contract.message('echo.text')!.validate(1)).toEqual([{ path: '$', message: 'must be string', keyword: 'type' }]);
    }
    // A relative file name is read from baseDir.
    expect((await loadAsyncApi('api.yaml', { baseDir: scratch.dir })).file).toBe(join(scratch.dir, 'api.yaml'));
  });
});

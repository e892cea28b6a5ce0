import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseConfig, PhoenixChannel, SupabaseChannel, SupabaseMock, type SupabaseEnvelope } from '../src/index.js';
import { decodeUserBroadcastPush } from '../src/kits/phoenix/supabase/broadcast.js';
import { adminClient } from './helpers/admin.js';
import { connect, refusal, type TestClient } from './helpers/client.js';
import { useMockServer, useServers } from './helpers/server.js';

// Supabase Realtime on the wire, with raw clients: the frames Realtime
// answers (and how it answers bad ones), the user broadcast frames, and the
// lifecycle every mock has.
const server = useMockServer({ admin: true });
const start = useServers();

/** A raw vsn 2.0.0 (or 1.0.0) client of a Supabase mock. */
async function raw(url: string, vsn = '2.0.0'): Promise<TestClient> {
  return connect(`${url}/websocket?apikey=anon-key&vsn=${vsn}`);
}

/** A kind-3 frame as realtime-js writes it. */
function userBroadcastPush(joinRef: string, ref: string, topic: string, event: string, body: Buffer, encoding = 1): Buffer {
  const parts = [joinRef, ref, topic, event, ''].map((s) => Buffer.from(s));
  return Buffer.concat([Buffer.from([3, ...parts.map((p) => p.length), encoding]), ...parts, body]);
}

/** Joins `topic` with a Realtime config and returns the reply's response. */
async function join(client: TestClient, topic: string, config: object = {}, ref = '1'): Promise<any> {
  const [, , , event, payload] = await client.askJson([ref, ref, topic, 'phx_join', { config: { broadcast: { self: false, ack: false }, presence: { key: '' }, postgres_changes: [], ...config } }]);
  expect(event).toBe('phx_reply');
  return payload;
}

describe('issue 24: Supabase Realtime frames', () => {
  it('refuses a client without an API key with 401, as Realtime does; any key is accepted', async () => {
    const realtime = server.supabase();
    expect(await refusal(`${realtime.url}/websocket?vsn=2.0.0`)).toMatchObject({ status: 401, body: { error: 'API key is missing' } });
    const client = await connect(`${realtime.url}/websocket?vsn=2.0.0`, { headers: { 'x-api-key': 'any' } });
    expect(await client.askJson([null, '1', 'phoenix', 'heartbeat', {}])).toEqual([null, '1', 'phoenix', 'phx_reply', { status: 'ok', response: {} }]);
  });

  it('answers a join with the postgres_changes ids, then says it subscribed', async () => {
    const realtime = server.supabase();
    const client = await raw(realtime.url);
    const entry = { event: '*', schema: 'public', table: 'todos' };
    const reply = await join(client, 'realtime:todos', { postgres_changes: [entry] });
    expect(reply).toEqual({ status: 'ok', response: { postgres_changes: [{ ...entry, id: expect.any(Number) }] } });
    expect(await client.nextJson()).toEqual(['1', null, 'realtime:todos', 'system', { extension: 'postgres_changes', status: 'ok', message: 'Subscribed to PostgreSQL', channel: 'todos' }]);
    const id = reply.response.postgres_changes[0].id as number;
    realtime.postgresChange({ table: 'todos', eventType: 'INSERT', new: { id: 1, title: 'x' }, commit_timestamp: 't' });
    expect(await client.nextJson()).toEqual([
      null,
      null,
      'realtime:todos',
      'postgres_changes',
      { ids: [id], data: { columns: [{ name: 'id', type: 'int8' }, { name: 'title', type: 'text' }], commit_timestamp: 't', errors: null, record: { id: 1, title: 'x' }, schema: 'public', table: 'todos', type: 'INSERT' } },
    ]);
  });

  it('serves a join without config as Realtime\'s first API: the topic is the subscription, changes come as their type', async () => {
    const realtime = server.supabase();
    const client = await raw(realtime.url);
    const [, , , , reply] = await client.askJson(['1', '1', 'realtime:public:todos:id=eq.1', 'phx_join', {}]);
    expect(reply).toEqual({ status: 'ok', response: { postgres_changes: [{ schema: 'public', table: 'todos', filter: 'id=eq.1', id: expect.any(Number) }] } });
    expect((await client.nextJson())[4]).toMatchObject({ extension: 'postgres_changes', status: 'ok' });
    expect(realtime.postgresChange({ table: 'todos', eventType: 'UPDATE', new: { id: 2 }, old: { id: 2 } })).toBe(0);
    expect(realtime.postgresChange({ table: 'todos', eventType: 'UPDATE', new: { id: 1, done: true }, old: { id: 1 }, commit_timestamp: 't' })).toBe(1);
    expect(await client.nextJson()).toEqual([
      null,
      null,
      'realtime:public:todos:id=eq.1',
      'UPDATE',
      { columns: [{ name: 'id', type: 'int8' }, { name: 'done', type: 'bool' }], commit_timestamp: 't', errors: null, old_record: { id: 1 }, record: { id: 1, done: true }, schema: 'public', table: 'todos', type: 'UPDATE' },
    ]);
  });

  it('forwards a binary user broadcast as kind 4 to vsn 2.0.0 and as JSON to vsn 1.0.0, acknowledging it', async () => {
    const realtime = server.supabase();
    const [sender, v2, v1] = [await raw(realtime.url), await raw(realtime.url), await raw(realtime.url, '1.0.0')];
    await join(sender, 'realtime:room', { broadcast: { self: false, ack: true } });
    await join(v2, 'realtime:room');
    const reply = await v1.askJson({ topic: 'realtime:room', event: 'phx_join', payload: { config: {} }, ref: '1', join_ref: '1' });
    expect(reply).toMatchObject({ event: 'phx_reply', payload: { status: 'ok' } });
    await sender.send(userBroadcastPush('1', '2', 'realtime:room', 'cursor', Buffer.from('{"x":1}')));
    expect(await sender.nextJson()).toEqual(['1', '2', 'realtime:room', 'phx_reply', { status: 'ok', response: {} }]);
    const frame = await v2.frame();
    expect(frame.binary).toBe(true);
    expect([...frame.data]).toEqual([4, 13, 6, 0, 1, ...Buffer.from('realtime:roomcursor{"x":1}')]);
    expect(await v1.nextJson()).toEqual({ topic: 'realtime:room', event: 'broadcast', payload: { event: 'cursor', payload: { x: 1 }, type: 'broadcast' }, ref: null, join_ref: null });
  });

  it('fuzz: the kind-3 reader never throws, and reads back what realtime-js writes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        decodeUserBroadcastPush(Buffer.from([3, ...bytes]));
        return true;
      }),
      { numRuns: 3000 },
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.string({ minLength: 1, maxLength: 40 }), fc.jsonValue(), (topic, event, value) => {
        const json = JSON.stringify(value) ?? 'null';
        const message = decodeUserBroadcastPush(userBroadcastPush('1', '2', topic, event, Buffer.from(json)));
        expect(message).toEqual({ joinRef: '1', ref: '2', topic, event: 'broadcast', payload: { type: 'broadcast', event, payload: JSON.parse(json) } });
      }),
      { numRuns: 300 },
    );
  });
});

describe('issue 24: Supabase Realtime bad input', () => {
  it('refuses a join without a topic name, and a topic outside realtime:, as Realtime does', async () => {
    const realtime = server.supabase();
    const client = await raw(realtime.url);
    expect(await join(client, 'realtime:')).toEqual({ status: 'error', response: { reason: 'TopicNameRequired: You must provide a topic name' } });
    expect(await join(client, 'room:lobby', {}, '2')).toEqual({ status: 'error', response: { reason: 'unmatched topic' } });
    expect(realtime.joins.map((j) => j.status)).toEqual(['refused', 'refused']);
    expect(realtime.joins[0]).toBeInstanceOf(SupabaseChannel);
    expect(realtime.joins[0]).toBeInstanceOf(PhoenixChannel);
    const phoenix = server.phoenix('/socket');
    const plain = await connect(`${phoenix.url}/websocket?vsn=2.0.0`);
    await plain.askJson(['1', '1', 'room:1', 'phx_join', {}]);
    expect(await phoenix.waitForJoin('room:1')).not.toBeInstanceOf(SupabaseChannel);
  });

  it('ignores an event Realtime does not know (no reply), and answers presence it cannot take with errors', async () => {
    const realtime = server.supabase();
    const client = await raw(realtime.url);
    await join(client, 'realtime:room');
    await client.send(['1', '2', 'realtime:room', 'new_msg', { body: 'hi' }]);
    expect(await client.askJson(['1', '3', 'realtime:room', 'presence', { type: 'presence', event: 'track', payload: 'online' }])).toEqual([
      '1',
      '3',
      'realtime:room',
      'phx_reply',
      { status: 'error', response: { reason: 'Presence track payload must be a map' } },
    ]);
    expect(await client.askJson(['1', '4', 'realtime:room', 'presence', { type: 'presence', event: 'wave' }])).toEqual(['1', '4', 'realtime:room', 'phx_reply', { status: 'error', response: {} }]);
    const channel = await realtime.waitForJoin('room');
    expect((await channel.waitForPush('new_msg')).replied).toBeUndefined();
  });

  it('crashes the channel of a broadcast whose payload is not an object, and closes one whose presence is too large', async () => {
    const realtime = server.supabase({ maxPayloadKb: 1 });
    const client = await raw(realtime.url);
    await join(client, 'realtime:a');
    await client.send(['1', '2', 'realtime:a', 'broadcast', 'just text']);
    expect(await client.nextJson()).toEqual(['1', '1', 'realtime:a', 'phx_error', {}]);
    await join(client, 'realtime:b', {}, '5');
    await client.send(['5', '6', 'realtime:b', 'presence', { type: 'presence', event: 'track', payload: { blob: 'x'.repeat(2000) } }]);
    expect(await client.nextJson()).toEqual(['5', null, 'realtime:b', 'system', { extension: 'system', status: 'error', message: 'Track message size exceeded', channel: 'b' }]);
    expect(await client.nextJson()).toEqual(['5', '5', 'realtime:b', 'phx_close', {}]);
  });

  it('a malformed frame or a broken user broadcast closes that socket with 1011; the others go on', async () => {
    const realtime = server.supabase();
    const bystander = await raw(realtime.url);
    await join(bystander, 'realtime:room');
    for (const bad of ['not json', '[1,2,3]', userBroadcastPush('1', '2', 'realtime:room', 'e', Buffer.from('{broken')), Buffer.from([3, 9, 9, 9, 9, 9, 1])]) {
      const client = await raw(realtime.url);
      await client.send(bad);
      expect((await client.closed).code).toBe(1011);
    }
    expect(realtime.broadcast('room', 'still', { ok: true })).toBe(1);
    expect(await bystander.nextJson()).toEqual([null, null, 'realtime:room', 'broadcast', { type: 'broadcast', event: 'still', payload: { ok: true } }]);
  });

  it('rejects bad arguments of the handle with the rule', async () => {
    const realtime = server.supabase();
    await expect(realtime.waitForJoin('')).rejects.toThrow(/waitForJoin\(name\): the channel name must be a non-empty string/);
    expect(() => realtime.broadcast('', 'e', {})).toThrow(/the channel name must be a non-empty string/);
    expect(() => realtime.broadcast('room', '' as string, {})).toThrow(/event must be a non-empty string/);
    expect(() => realtime.presence(3 as unknown as string)).toThrow(/the channel name must be a non-empty string/);
    expect(() => server.supabase({ path: '/other', maxPayloadKb: 0 })).toThrow(/maxPayloadKb: must be a positive whole number of KB/);
    expect(() => server.supabase({ path: '/other', joins: { 'a*': 'deny' as 'manual' } })).toThrow(/joins\.a\*: must be "manual", "unauthorized" or \{ reason \}/);
  });
});

describe('issue 24: Supabase Realtime lifecycle', () => {
  it('is listed in server.mocks, counted in stats(), journaled, and closed by update() and reset()', async () => {
    const realtime = server.supabase({ id: 'rt' });
    expect(server.mocks.list().map((m) => [m.id, m.type])).toContainEqual(['rt', 'supabase']);
    expect(server.mocks.get('rt')).toBe(realtime);
    expect(realtime).toBeInstanceOf(SupabaseMock);
    const client = await raw(realtime.url);
    await join(client, 'realtime:room');
    expect(server.stats().byType.websocket!.activeConnections).toBe(1);
    expect(realtime.messages.map((m) => m.text && JSON.parse(m.text)[3])).toEqual(['phx_join', 'phx_reply']);
    expect(await realtime.update({ maxPayloadKb: 10 })).toBe(1);
    expect((await client.closed).code).toBe(1012);
    const again = await raw(realtime.url);
    await join(again, 'realtime:room');
    await server.reset();
    expect((await again.closed).code).toBe(1012);
    expect(server.mocks.list()).toEqual([]);
  });

  it('is defined from a config file and over the admin API with its envelope type', async () => {
    const envelope: SupabaseEnvelope = { id: 'realtime', type: 'supabase', supabase: { path: '/realtime/v1', maxPayloadKb: 5 } };
    const loaded = parseConfig(['version: "1.0"', 'mocks:', '  - id: realtime', '    type: supabase', '    supabase:', '      path: /realtime/v1', '      maxPayloadKb: 5'].join('\n'), 'mocks.yaml');
    const fromFile = server.mocks.define(loaded.mocks[0]!);
    expect(fromFile).toBeInstanceOf(SupabaseMock);
    expect(fromFile.toJSON()).toEqual({ ...envelope, enabled: true });
    await fromFile.remove();
    const api = adminClient(server.adminUrl!);
    expect((await api.post('/mocks', envelope)).status).toBe(201);
    expect((await api.get('/mocks/realtime')).body).toMatchObject({ id: 'realtime', type: 'supabase', supabase: { path: '/realtime/v1', maxPayloadKb: 5 } });
    const client = await raw(`${server.url}/realtime/v1`);
    expect(await join(client, 'realtime:x')).toMatchObject({ status: 'ok' });
    const bad = await api.put('/mocks/realtime', { ...envelope, supabase: { maxPayloadKb: 'lots' } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('supabase.maxPayloadKb');
  });

  it('its frames pass the chaos layer (server default) and are recorded with record: true', async () => {
    const chaotic = await start({ seed: 7, chaos: { duplicate: 1 } });
    const realtime = chaotic.supabase();
    const client = await raw(realtime.url);
    await join(client, 'realtime:room');
    // Every frame the server sends comes twice: the join's reply again.
    expect(await client.nextJson()).toEqual(['1', '1', 'realtime:room', 'phx_reply', { status: 'ok', response: { postgres_changes: [] } }]);
    expect((await client.askJson([null, '9', 'phoenix', 'heartbeat', {}]))[1]).toBe('9');
    expect((await client.nextJson())[1]).toBe('9');

    const calm = await start();
    const recorded = calm.supabase({ record: true });
    const client2 = await raw(recorded.url);
    await join(client2, 'realtime:room', { broadcast: { self: true, ack: false } });
    await client2.send(userBroadcastPush('1', '2', 'realtime:room', 'cursor', Buffer.from('{"x":1}')));
    expect((await client2.frame()).binary).toBe(true);
    await client2.close();
    await (await recorded.waitForConnection()).connection.waitForClose();
    const frames = calm.recording(recorded.id).toJSON().connections[0]!.frames;
    expect(frames.map((f) => [f.direction, f.binary === undefined ? JSON.parse(f.text!)[3] : Buffer.from(f.binary, 'base64')[0]])).toEqual([
      ['client-to-server', 'phx_join'],
      ['server-to-client', 'phx_reply'],
      ['client-to-server', 3],
      ['server-to-client', 4],
    ]);
  });
});

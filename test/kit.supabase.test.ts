import { afterEach, describe, expect, it } from 'vitest';
import { useMockServer } from './helpers/server.js';
import { closeSupabaseClients, Inbox, realtimeClient, subscribe, supabaseClient } from './helpers/supabase.js';

// Supabase Realtime with the real clients: supabase-js made with
// createClient(server.httpUrl, key) and realtime-js on its own.
const server = useMockServer();
afterEach(closeSupabaseClients);

describe('issue 24: Supabase Realtime broadcast', () => {
  it('delivers a client broadcast to the other subscribers of the topic, not to the sender', async () => {
    const realtime = server.supabase();
    const [a, b] = [supabaseClient(server.httpUrl), supabaseClient(server.httpUrl)];
    const [fromA, fromB] = [new Inbox(), new Inbox()];
    const chA = a.channel('room1').on('broadcast', { event: 'cursor' }, fromA.push);
    const chB = b.channel('room1').on('broadcast', { event: 'cursor' }, fromB.push);
    await Promise.all([subscribe(chA).subscribed, subscribe(chB).subscribed]);
    const joins = [await realtime.waitForJoin('room1'), await realtime.waitForJoin('room1')];
    expect(joins.map((j) => j.topic)).toEqual(['realtime:room1', 'realtime:room1']);

    expect(await chA.send({ type: 'broadcast', event: 'cursor', payload: { x: 1, y: 2 } })).toBe('ok');
    expect(await fromB.next('the broadcast')).toEqual({ type: 'broadcast', event: 'cursor', payload: { x: 1, y: 2 } });
    // A's own broadcast comes back only with self: a test broadcast afterwards arrives first.
    expect(realtime.broadcast('room1', 'cursor', { x: 3 })).toBe(2);
    expect(await fromA.next('the test broadcast')).toEqual({ type: 'broadcast', event: 'cursor', payload: { x: 3 } });
    expect(await fromB.next('the test broadcast')).toEqual({ type: 'broadcast', event: 'cursor', payload: { x: 3 } });
  });

  it('echoes to the sender with self: true and acknowledges with ack: true', async () => {
    const realtime = server.supabase();
    const client = supabaseClient(server.httpUrl);
    const own = new Inbox();
    const channel = client.channel('room2', { config: { broadcast: { self: true, ack: true } } }).on('broadcast', { event: '*' }, own.push);
    await subscribe(channel).subscribed;
    const join = await realtime.waitForJoin('room2');
    expect(join.config.broadcast).toEqual({ self: true, ack: true });

    expect(await channel.send({ type: 'broadcast', event: 'note', payload: { text: 'hi' } })).toBe('ok');
    expect(await own.next('the echo')).toEqual({ type: 'broadcast', event: 'note', payload: { text: 'hi' } });
    const push = await join.waitForPush('broadcast');
    expect(push.payload).toEqual({ type: 'broadcast', event: 'note', payload: { text: 'hi' } });
  });

  it('refuses an oversize broadcast with payload_size_exceeded when acked, and the channel goes on', async () => {
    server.supabase({ maxPayloadKb: 1 });
    const client = supabaseClient(server.httpUrl);
    const own = new Inbox();
    const channel = client.channel('big', { config: { broadcast: { self: true, ack: true } } }).on('broadcast', { event: '*' }, own.push);
    await subscribe(channel).subscribed;
    expect(await channel.send({ type: 'broadcast', event: 'big', payload: { text: 'x'.repeat(2000) } })).toBe('error');
    expect(await channel.send({ type: 'broadcast', event: 'small', payload: { text: 'x' } })).toBe('ok');
    expect((await own.next('the small one')).event).toBe('small');
  });

  it('reaches a realtime-js client on the 1.0.0 serializer as JSON, and a binary payload only on 2.0.0', async () => {
    const realtime = server.supabase();
    const v1 = realtimeClient(realtime.url, { vsn: '1.0.0' });
    const v2 = realtimeClient(realtime.url);
    const [got1, got2] = [new Inbox(), new Inbox()];
    const ch1 = v1.channel('mixed').on('broadcast', { event: '*' }, got1.push);
    const ch2 = v2.channel('mixed').on('broadcast', { event: '*' }, got2.push);
    await Promise.all([subscribe(ch1).subscribed, subscribe(ch2).subscribed]);
    const sender = realtimeClient(realtime.url).channel('mixed');
    await subscribe(sender).subscribed;
    await sender.send({ type: 'broadcast', event: 'json', payload: { n: 1 } });
    await sender.send({ type: 'broadcast', event: 'bytes', payload: new Uint8Array([1, 2, 3]).buffer });
    await sender.send({ type: 'broadcast', event: 'after', payload: { n: 2 } });
    expect(await got1.next()).toEqual({ type: 'broadcast', event: 'json', payload: { n: 1 } });
    expect(await got1.next()).toEqual({ type: 'broadcast', event: 'after', payload: { n: 2 } });
    expect(await got2.next()).toEqual({ type: 'broadcast', event: 'json', payload: { n: 1 } });
    const bytes = await got2.next();
    expect(bytes.event).toBe('bytes');
    expect([...new Uint8Array(bytes.payload as ArrayBuffer)]).toEqual([1, 2, 3]);
    expect(await got2.next()).toEqual({ type: 'broadcast', event: 'after', payload: { n: 2 } });
  });
});

describe('issue 24: Supabase Realtime joins held or refused', () => {
  it('refuses a channel as RLS refuses it (CHANNEL_ERROR with Realtime\'s reason), and holds another for the test', async () => {
    const realtime = server.supabase({ joins: { 'private-*': 'unauthorized', 'held:*': 'manual', closed: { reason: 'PrivateOnly: This project only allows private channels' } } });
    const client = supabaseClient(server.httpUrl);
    const refused = subscribe(client.channel('private-room', { config: { private: true } }));
    await expect(refused.subscribed).rejects.toThrow('CHANNEL_ERROR (Unauthorized: You do not have permissions to read from this Channel topic: private-room)');
    await expect(subscribe(client.channel('closed')).subscribed).rejects.toThrow('PrivateOnly: This project only allows private channels');

    const changes = new Inbox();
    const held = client.channel('held:1').on('postgres_changes', { event: '*', schema: 'public', table: 'todos' }, changes.push);
    const { subscribed } = subscribe(held);
    const channel = await realtime.waitForJoin('held:1');
    expect(channel.status).toBe('joining');
    await channel.ok();
    await subscribed;
    expect(held.bindings.postgres_changes![0]!.id).toBe(channel.config.postgres_changes[0]!.id);
    realtime.postgresChange({ table: 'todos', eventType: 'INSERT', new: { id: 1 } });
    expect(await changes.next()).toMatchObject({ eventType: 'INSERT', new: { id: 1 } });
  });
});

describe('issue 24: Supabase Realtime postgres_changes', () => {
  it('answers the join with the ids Realtime assigns and delivers only the changes the filter matches', async () => {
    const realtime = server.supabase();
    const client = supabaseClient(server.httpUrl);
    const changes = new Inbox();
    const system = new Inbox();
    const channel = client
      .channel('db')
      .on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'messages', filter: 'room_id=eq.1' }, changes.push)
      .on('system', {}, system.push);
    await subscribe(channel).subscribed;
    const join = await realtime.waitForJoin('db');
    const [sub] = join.config.postgres_changes;
    expect(sub).toEqual({ event: 'INSERT', schema: 'public', table: 'messages', filter: 'room_id=eq.1', id: expect.any(Number) });
    expect(channel.bindings.postgres_changes![0]!.id).toBe(sub!.id);
    expect(await system.next('the system message')).toEqual({ extension: 'postgres_changes', status: 'ok', message: 'Subscribed to PostgreSQL', channel: 'db' });

    expect(realtime.postgresChange({ table: 'messages', eventType: 'INSERT', new: { id: 1, room_id: 2, body: 'elsewhere' } })).toBe(0);
    expect(realtime.postgresChange({ table: 'messages', eventType: 'UPDATE', new: { id: 1, room_id: 1 }, old: { id: 1 } })).toBe(0);
    expect(realtime.postgresChange({ table: 'messages', eventType: 'INSERT', new: { id: 2, room_id: 1, body: 'here', sent: true }, commit_timestamp: '2026-12-03T10:00:00Z' })).toBe(1);
    expect(await changes.next('the matching insert')).toEqual({
      schema: 'public',
      table: 'messages',
      commit_timestamp: '2026-12-03T10:00:00Z',
      eventType: 'INSERT',
      new: { id: 2, room_id: 1, body: 'here', sent: true },
      old: {},
      errors: null,
    });
    expect(changes.items).toHaveLength(1);
  });

  it('delivers updates and deletes with old rows, to every subscription they match, each change once', async () => {
    const realtime = server.supabase();
    const client = supabaseClient(server.httpUrl);
    const [all, deletes] = [new Inbox(), new Inbox()];
    const channel = client
      .channel('todos')
      .on('postgres_changes', { event: '*', schema: 'public', table: 'todos' }, all.push)
      .on('postgres_changes', { event: 'DELETE', schema: 'public', table: 'todos', filter: 'id=in.(1,2)' }, deletes.push);
    await subscribe(channel).subscribed;
    realtime.postgresChange({ table: 'todos', eventType: 'UPDATE', new: { id: 1, done: true }, old: { id: 1, done: false } });
    realtime.postgresChange({ table: 'todos', eventType: 'DELETE', old: { id: 2 } });
    expect(await all.next()).toMatchObject({ eventType: 'UPDATE', new: { id: 1, done: true }, old: { id: 1, done: false } });
    expect(await all.next()).toMatchObject({ eventType: 'DELETE', new: {}, old: { id: 2 } });
    expect(await deletes.next()).toMatchObject({ eventType: 'DELETE', old: { id: 2 } });
    expect(all.items).toHaveLength(2);
  });

  it('reports a filter Realtime cannot read in a system message; the channel joins and gets no change', async () => {
    const realtime = server.supabase();
    const client = supabaseClient(server.httpUrl);
    const [changes, system, broadcasts] = [new Inbox(), new Inbox(), new Inbox()];
    const channel = client
      .channel('bad')
      .on('postgres_changes', { event: '*', schema: 'public', table: 'todos', filter: 'id=foo.1' }, changes.push)
      .on('system', {}, system.push)
      .on('broadcast', { event: 'after' }, broadcasts.push);
    await subscribe(channel).subscribed;
    expect(await system.next()).toEqual({ extension: 'postgres_changes', status: 'error', message: 'Error parsing `filter` params: ["foo", "1"]', channel: 'bad' });
    expect(realtime.postgresChange({ table: 'todos', eventType: 'INSERT', new: { id: 1 } })).toBe(0);
    realtime.broadcast('bad', 'after', {});
    await broadcasts.next();
    expect(changes.items).toEqual([]);
  });

  it('refuses a bad change where it enters, naming the field', () => {
    const realtime = server.supabase();
    expect(() => realtime.postgresChange({ table: 'todos', eventType: 'UPSERT' as 'INSERT', new: {} })).toThrow(/eventType must be "INSERT", "UPDATE" or "DELETE", got "UPSERT"/);
    expect(() => realtime.postgresChange({ table: 'todos', eventType: 'INSERT' })).toThrow(/new must be an object \(the row\) for an INSERT/);
    expect(() => realtime.postgresChange({ table: '', eventType: 'DELETE', old: {} })).toThrow(/table must be a non-empty string/);
    expect(() => realtime.postgresChange({ table: 't', eventType: 'DELETE' })).toThrow(/old must be an object/);
  });
});

describe('issue 24: Supabase Realtime presence', () => {
  it('syncs the presence of two clients, keyed by config.presence.key, and their leaving', async () => {
    const realtime = server.supabase();
    const [a, b] = [supabaseClient(server.httpUrl), supabaseClient(server.httpUrl)];
    const syncA = new Inbox();
    const leavesA = new Inbox();
    const chA = a.channel('lobby', { config: { presence: { key: 'ada' } } }).on('presence', { event: 'sync' }, () => syncA.push(chA.presenceState()));
    chA.on('presence', { event: 'leave' }, leavesA.push);
    const chB = b.channel('lobby', { config: { presence: { key: 'bob' } } }).on('presence', { event: 'sync' }, () => {});
    await Promise.all([subscribe(chA).subscribed, subscribe(chB).subscribed]);
    expect(await chA.track({ status: 'online' })).toBe('ok');
    expect(await chB.track({ status: 'away' })).toBe('ok');
    const state = await syncA.until((items) => Object.keys(items.at(-1) ?? {}).length === 2, 'both presences');
    expect(state.at(-1)).toEqual({
      ada: [{ status: 'online', presence_ref: expect.any(String) }],
      bob: [{ status: 'away', presence_ref: expect.any(String) }],
    });
    expect(realtime.presence('lobby').list()).toMatchObject({ ada: { metas: [{ status: 'online' }] }, bob: { metas: [{ status: 'away' }] } });

    expect(await chB.untrack()).toBe('ok');
    expect(await leavesA.next('bob leaving')).toMatchObject({ event: 'leave', key: 'bob', leftPresences: [{ status: 'away' }] });
  });

  it('shows a presence the test tracks to the clients, and a key Realtime makes up when the config names none', async () => {
    const realtime = server.supabase();
    const client = supabaseClient(server.httpUrl);
    const joins = new Inbox();
    const channel = client.channel('room').on('presence', { event: 'join' }, joins.push);
    await subscribe(channel).subscribed;
    const join = await realtime.waitForJoin('room');
    expect(join.presenceKey).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    realtime.presence('room').track('server-bot', { role: 'bot' });
    expect(await joins.next()).toMatchObject({ event: 'join', key: 'server-bot', newPresences: [{ role: 'bot' }] });
    await channel.track({ me: true });
    expect(await joins.next()).toMatchObject({ key: join.presenceKey, newPresences: [{ me: true }] });
  });
  it('drops the presence of a client whose socket closes, and keeps another client of the same key', async () => {
    const realtime = server.supabase();
    const [a, b, c] = [supabaseClient(server.httpUrl), supabaseClient(server.httpUrl), supabaseClient(server.httpUrl)];
    const leaves = new Inbox();
    const watcher = a.channel('tabs', { config: { presence: { key: 'watcher' } } }).on('presence', { event: 'leave' }, leaves.push);
    const tab1 = b.channel('tabs', { config: { presence: { key: 'ada' } } });
    const tab2 = c.channel('tabs', { config: { presence: { key: 'ada' } } });
    await Promise.all([subscribe(watcher).subscribed, subscribe(tab1).subscribed, subscribe(tab2).subscribed]);
    await Promise.all([tab1.track({ tab: 1 }), tab2.track({ tab: 2 })]);
    expect(realtime.presence('tabs').list().ada?.metas.map((m) => m.tab).sort()).toEqual([1, 2]);
    await b.realtime.disconnect();
    expect(await leaves.next('tab 1 leaving')).toMatchObject({ key: 'ada', leftPresences: [{ tab: 1 }], currentPresences: [{ tab: 2 }] });
    expect(realtime.presence('tabs').list().ada?.metas).toMatchObject([{ tab: 2 }]);
  });
});

describe('issue 24: Supabase Realtime access tokens and the lifecycle', () => {
  it('shows the access token of the join and of each access_token push to the test', async () => {
    const realtime = server.supabase();
    const client = supabaseClient(server.httpUrl, 'publishable-key');
    const channel = client.channel('auth');
    await subscribe(channel).subscribed;
    const join = await realtime.waitForJoin('auth');
    expect(join.accessToken).toBe('publishable-key');
    await client.realtime.setAuth('user-jwt');
    const push = await join.waitForPush('access_token');
    expect(push.payload).toEqual({ access_token: 'user-jwt' });
    expect(join.accessToken).toBe('user-jwt');
  });

  it('resubscribes after update(): the client reconnects, rejoins and gets broadcasts again', async () => {
    const realtime = server.supabase();
    const client = supabaseClient(server.httpUrl);
    const got = new Inbox();
    const channel = client.channel('again').on('broadcast', { event: 'hello' }, got.push);
    const { statuses, subscribed } = subscribe(channel);
    await subscribed;
    const first = await realtime.waitForJoin('again');
    expect(await realtime.update({})).toBe(1);
    const second = await realtime.waitForJoin('again');
    expect(second).not.toBe(first);
    expect(realtime.broadcast('again', 'hello', { n: 2 })).toBe(1);
    expect(await got.next()).toMatchObject({ payload: { n: 2 } });
    expect(statuses.items.map((s) => s.status)).toContain('SUBSCRIBED');
  });
});

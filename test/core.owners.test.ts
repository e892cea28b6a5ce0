//
// Issue 23, "one owner per connection": the public handle over a core that
// owns the connection's state, rooms in their own module, the faults owned by
// chaos/ and the upstream by proxy/, shown on the handle through slots that
// one module writes, and connections/ importing neither chaos/ nor proxy/.
//
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kCore } from '../src/connections/Connection.js';
import { Slot } from '../src/connections/slots.js';
import { connect } from './helpers/client.js';
import { root } from './helpers/pack.js';
import { useMockServer } from './helpers/server.js';

const server = useMockServer();

/** Every `import … from '…'` of a file: the specifier and whether it imports types only. */
function importsOf(file: string): { from: string; typeOnly: boolean }[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^import\s+(type\s+)?[^;]*?from\s+'([^']+)';/gms)].map((m) => ({ from: m[2]!, typeOnly: m[1] !== undefined }));
}

describe('issue 23: one owner per connection', () => {
  it('connections/ imports nothing of chaos/ or proxy/ but the public Upstream type, for the handle’s getter', () => {
    const dir = join(root, 'src', 'connections');
    const crossings = readdirSync(dir)
      .filter((name) => name.endsWith('.ts'))
      .flatMap((name) => importsOf(join(dir, name)).map((i) => ({ file: name, ...i })))
      .filter((i) => /^\.\.\/(chaos|proxy)\//.test(i.from));
    expect(crossings).toEqual([{ file: 'Connection.ts', from: '../proxy/Upstream.js', typeOnly: true }]);
  });

  it('a connection slot has one writer: a second claim throws, naming the owner', () => {
    const slot = new Slot<number>('example');
    const writer = slot.claim('owner.ts');
    const key = {};
    writer.set(key, 1);
    expect(slot.read(key)).toBe(1);
    expect(slot.read({})).toBeUndefined();
    expect(() => slot.claim('intruder.ts')).toThrow('the connection slot "example" is owned by owner.ts; intruder.ts cannot claim it too');
  });

  it('the handle carries its core off the enumerable surface: keys, spreading and JSON show the public fields only', async () => {
    const mock = server.websocket('/plain', { echoMode: false });
    await connect(mock.url);
    const conn = await mock.waitForConnection();
    expect(Object.prototype.propertyIsEnumerable.call(conn, kCore)).toBe(false);
    expect(Object.getOwnPropertySymbols({ ...conn })).not.toContain(kCore);
    expect(Object.keys(conn)).toEqual(expect.arrayContaining(['id', 'mockId', 'path', 'url', 'params', 'query', 'headers', 'subprotocol', 'type']));
    expect(conn[kCore].isOpen).toBe(true);
  });

  it('faults (chaos/), upstream (proxy/) and rooms read through the handle; faults are a copy, rooms go with the close', async () => {
    const mock = server.websocket('/lossy', { echoMode: false, chaos: { drop: 1 } });
    const client = await connect(mock.url);
    const conn = await mock.waitForConnection();
    expect(conn.upstream).toBeNull();
    await conn.send('a');
    await conn.send('b');
    expect(conn.faults.map((f) => [f.kind, f.direction, f.frameIndex])).toEqual([
      ['drop', 'out', 0],
      ['drop', 'out', 1],
    ]);
    conn.faults.pop();
    expect(conn.faults).toHaveLength(2);
    conn.join('general');
    conn.join('general');
    conn.join('news');
    expect(conn.rooms).toEqual(['general', 'news']);
    expect(server.connections.list({ room: 'news' }).map((c) => c.id)).toEqual([conn.id]);
    await client.close();
    await conn.waitForClose();
    expect(conn.rooms).toEqual([]);
    expect(server.connections.broadcast('x', { room: 'general' })).toBe(0);
    expect(() => conn.join('general')).toThrow(`Cannot join a room: connection ${conn.id} is closed`);
  });
});

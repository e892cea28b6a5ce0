import { describe, expect, it } from 'vitest';
import { connect } from './helpers/client.js';
import { useServers } from './helpers/server.js';

// The seeded random: {{uuid}} draws from the server's seed, per connection.
const start = useServers();

async function uuids(seed: number | undefined, clients = 2, each = 3): Promise<{ seed: number; ids: string[][] }> {
  const server = await start(seed === undefined ? {} : { seed });
  const mock = server.websocket('/id', { matchers: [{ response: { type: 'json', value: { id: '{{uuid}}', again: '{{uuid}}' } } }] });
  const ids: string[][] = [];
  for (let c = 0; c < clients; c++) {
    const client = await connect(mock.url);
    const mine: string[] = [];
    for (let i = 0; i < each; i++) {
      client.send(`ask ${i}`);
      const { id, again } = JSON.parse((await client.frame()).text) as { id: string; again: string };
      expect(again).toBe(id);
      mine.push(id);
    }
    ids.push(mine);
  }
  return { seed: server.seed, ids };
}

describe('seed', () => {
  it('gives the same {{uuid}} sequence for the same seed, per connection', async () => {
    const a = await uuids(1234);
    const b = await uuids(1234);
    expect(a.seed).toBe(1234);
    expect(b.ids).toEqual(a.ids);
    for (const id of a.ids.flat()) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // Every draw is new, within a connection and across connections.
    expect(new Set(a.ids.flat()).size).toBe(6);
  });

  it('gives a different sequence for a different seed', async () => {
    const a = await uuids(1234, 1);
    const c = await uuids(1235, 1);
    expect(c.ids[0]).not.toEqual(a.ids[0]);
  });

  it('draws a connection’s ids from its own stream: interleaving with others does not change them', async () => {
    const server = await start({ seed: 99 });
    const mock = server.websocket('/id', { matchers: [{ response: { type: 'text', value: '{{uuid}}' } }] });
    const first = await connect(mock.url);
    const second = await connect(mock.url);
    second.send('x');
    const secondsFirst = (await second.frame()).text;
    first.send('x');
    const firstsFirst = (await first.frame()).text;

    const again = await uuids(99, 2, 1);
    expect([firstsFirst, secondsFirst]).toEqual([again.ids[0]![0], again.ids[1]![0]]);
  });

  it('is random when absent, and readable', async () => {
    const a = await start();
    const b = await start();
    expect(Number.isInteger(a.seed) && a.seed >= 0 && a.seed <= 0xffffffff).toBe(true);
    expect(a.seed).not.toBe(b.seed);
  });

  it.each([
    [-1, 'seed: must be an integer from 0 to 4294967295'],
    [2 ** 32, 'seed: must be an integer from 0 to 4294967295'],
    [1.5, 'seed: must be an integer from 0 to 4294967295'],
    ['7', 'seed: must be an integer from 0 to 4294967295'],
  ])('refuses seed %j naming the field and the rule', async (seed, message) => {
    await expect(start({ seed } as never)).rejects.toMatchObject({ code: 'WSMOCK_ERR_INVALID_CONFIG', message: expect.stringContaining(message) });
  });
});

import { describe, expect, it } from 'vitest';
import type { ChaosOptions } from '../src/index.js';
import { connect } from './helpers/client.js';
import { useServers } from './helpers/server.js';

// The same seed and the same traffic give the same faults and the same frames
// at the client, every run; another seed gives others. The issue asks for the
// determinism check to run 20 times in a row without a difference: the last
// test does that in one process, comparing every run with the first.
const start = useServers();

const CHAOS: ChaosOptions = {
  drop: 0.15,
  duplicate: 0.15,
  corrupt: 0.15,
  truncate: 0.15,
  delay: { min: 0, max: 2 },
  reorder: { window: 4 },
  except: { type: 'exact', value: 'end' },
};

/** The traffic of one run: 40 frames (text, JSON, binary) to each of two clients, their sends interleaved. */
async function run(seed: number) {
  const server = await start({ seed });
  const mock = server.websocket('/feed', { echoMode: false, chaos: CHAOS });
  const clients = [await connect(mock.url), await connect(mock.url)];
  const conns = [await mock.waitForConnection(), await mock.waitForConnection()];
  const sends: Promise<void>[] = [];
  for (let i = 0; i < 40; i++) {
    for (const [c, conn] of conns.entries()) {
      const frame = i % 3 === 0 ? { i, to: c } : i % 3 === 1 ? `text ${i} ✓ to ${c}` : Buffer.from([i, c, 255 - i]);
      sends.push(conn.send(frame));
    }
  }
  // 40 frames per connection is 10 whole reorder windows: no partial window waits on a timer.
  sends.push(...conns.map((conn) => conn.send('end')));
  await Promise.all(sends);
  const frames = await Promise.all(
    clients.map(async (client) => {
      const seen: string[] = [];
      for (;;) {
        const frame = await client.frame();
        if (!frame.binary && frame.text === 'end') return seen;
        seen.push(frame.binary ? `bin:${frame.data.toString('hex')}` : frame.text);
      }
    }),
  );
  const faults = conns.map((conn) => conn.faults.map(({ at: _at, ...rest }) => rest));
  await server.close();
  return { faults, frames };
}

describe('chaos determinism', () => {
  it('gives identical faults and identical frames at the client for the same seed', async () => {
    const a = await run(1234);
    const b = await run(1234);
    expect(a.faults[0]!.length).toBeGreaterThan(10);
    expect(new Set(a.faults.flat().map((f) => f.kind))).toEqual(new Set(['drop', 'duplicate', 'corrupt', 'truncate', 'delay', 'reorder']));
    expect(b).toEqual(a);
    // Each connection draws from its own stream: the two differ.
    expect(a.faults[1]).not.toEqual(a.faults[0]);
  });

  it('gives different faults for a different seed', async () => {
    const a = await run(1234);
    const c = await run(4321);
    expect(c.faults).not.toEqual(a.faults);
    expect(c.frames).not.toEqual(a.frames);
  });

  it('replays 20 times in a row without a difference', async () => {
    const first = await run(20_26);
    for (let i = 1; i < 20; i++) expect(await run(20_26), `run ${i + 1} of 20`).toEqual(first);
  });
});

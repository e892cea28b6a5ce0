//
// Random frames against a JSON-RPC mock: whatever a client sends (not JSON,
// any JSON value, near-valid requests, batches of them), it gets exactly one
// well-formed answer when the specification asks for one and nothing when it
// does not (notifications, the client's own answers), its connection stays
// open, and another client is never disturbed.
//
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { connect } from './helpers/client.js';
import { useMockServer } from './helpers/server.js';

const server = useMockServer();

const id = fc.oneof(fc.string({ maxLength: 5 }), fc.integer(), fc.constant(null));
const anything = fc.json({ maxDepth: 3 }).map((text) => JSON.parse(text) as unknown);
/** Objects close to a request: each member present, missing or wrong. */
const entry = fc.oneof(
  anything,
  fc.record(
    {
      jsonrpc: fc.oneof(fc.constant('2.0'), fc.constant('2.0'), anything),
      method: fc.oneof(fc.constantFrom('ping', 'fail', 'nope', 'rpc.on'), anything),
      params: fc.oneof(fc.array(anything, { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 3 }), anything, { maxKeys: 3 }), anything),
      id: fc.oneof(id, anything),
      result: anything,
    },
    { requiredKeys: [] },
  ),
);
const frame = fc.oneof(
  entry.map((value) => JSON.stringify(value)),
  fc.array(entry, { maxLength: 5 }).map((value) => JSON.stringify(value)),
  fc.string({ maxLength: 40 }),
);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Whether the specification asks for no answer to this entry: a valid notification, or an answer to a call. */
function silent(value: unknown): boolean {
  if (!isObject(value) || value.jsonrpc !== '2.0') return false;
  const validId = !('id' in value) || ['string', 'number'].includes(typeof value.id) || value.id === null;
  if (!validId) return false;
  if (!('method' in value)) return 'id' in value && ('result' in value || 'error' in value);
  const params = value.params;
  return typeof value.method === 'string' && !('id' in value) && (params === undefined || typeof params === 'object') && params !== null;
}

/** How many answers a frame gets: 0 or 1. */
function answers(text: string): number {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 1;
  }
  if (Array.isArray(value)) return value.length === 0 || !value.every(silent) ? 1 : 0;
  return silent(value) ? 0 : 1;
}

function wellFormed(answer: unknown): boolean {
  if (!isObject(answer) || answer.jsonrpc !== '2.0' || !('id' in answer)) return false;
  if ('result' in answer === 'error' in answer) return false;
  return !('error' in answer) || (isObject(answer.error) && Number.isInteger(answer.error.code) && typeof answer.error.message === 'string');
}

describe('JSON-RPC under random input', () => {
  it('answers exactly what the specification asks, never closing or disturbing anyone', async () => {
    // Every answer is synchronous, so answers leave in the order of the frames and the sentinel comes last.
    const mock = server.jsonrpc('/rpc', {
      methods: {
        ping: { result: 'pong' },
        fail: () => {
          throw new Error('no');
        },
      },
    });
    const client = await connect(mock.url);
    const bystander = await connect(mock.url);
    let sentinel = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(frame, { minLength: 1, maxLength: 5 }), async (frames) => {
        for (const text of frames) await client.send(text);
        const mark = `sentinel-${++sentinel}`;
        await client.send({ jsonrpc: '2.0', method: 'ping', id: mark });
        const got: unknown[] = [];
        for (;;) {
          const answer = await client.nextJson();
          if (isObject(answer) && answer.id === mark) break;
          got.push(answer);
        }
        expect(got).toHaveLength(frames.reduce((n, text) => n + answers(text), 0));
        for (const answer of got) expect(Array.isArray(answer) ? answer.length > 0 && answer.every(wellFormed) : wellFormed(answer)).toBe(true);
        expect(client.isOpen).toBe(true);
      }),
      { numRuns: 100 },
    );
    expect(await bystander.askJson({ jsonrpc: '2.0', method: 'ping', id: 1 })).toEqual({ jsonrpc: '2.0', result: 'pong', id: 1 });
  });
});

//
// Random frames against the ActionCable command parser and a live mock:
// whatever a client sends (not JSON, any JSON value, near-valid commands),
// the parser never throws and accepts exactly the commands Rails executes;
// the mock answers only valid subscribes, keeps the connection open, and
// another client is never disturbed.
//
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCommand } from '../src/kits/actioncable/protocol.js';
import { connect } from './helpers/client.js';
import { useMockServer } from './helpers/server.js';

const server = useMockServer();

const anything = fc.json({ maxDepth: 3 }).map((text) => JSON.parse(text) as unknown);
const identifier = fc.oneof(
  fc.record({ channel: fc.oneof(fc.constantFrom('ChatChannel', 'NopeChannel', ''), anything), room: fc.integer({ min: 0, max: 3 }) }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 12 }),
  anything,
);
const data = fc.oneof(
  fc.record({ action: fc.oneof(fc.constantFrom('speak', '', ' ', null, false, [], {}), anything), text: fc.string({ maxLength: 5 }) }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 12 }),
  anything,
);
/** Objects close to a command: each member present, missing or wrong. */
const command = fc.record(
  { command: fc.oneof(fc.constantFrom('subscribe', 'unsubscribe', 'message'), anything), identifier, data },
  { requiredKeys: [] },
);
const frame = fc.oneof(command.map((v) => JSON.stringify(v)), anything.map((v) => JSON.stringify(v)), fc.string({ maxLength: 40 }));

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const parse = (text: unknown): unknown => {
  if (typeof text !== 'string') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/** What Rails executes, written independently of the parser: the command, or undefined when it ignores the frame. */
function expected(text: string): string | undefined {
  const value = parse(text);
  if (!isObject(value)) return undefined;
  const { command, identifier } = value;
  if (command === 'subscribe') {
    const id = parse(identifier);
    return isObject(id) && typeof id.channel === 'string' && id.channel !== '' ? 'subscribe' : undefined;
  }
  if (command === 'unsubscribe') return typeof identifier === 'string' && identifier.trim() !== '' ? 'unsubscribe' : undefined;
  if (command === 'message') {
    if (typeof identifier !== 'string') return undefined;
    const payload = parse(value.data);
    if (!isObject(payload)) return undefined;
    const { action } = payload;
    // Ruby's `presence`: a blank action (nil, false, [], {}) performs `receive`; anything else must be a name.
    const blankValue = action === undefined || action === null || action === false || (Array.isArray(action) && action.length === 0) || (isObject(action) && Object.keys(action).length === 0);
    return blankValue || typeof action === 'string' ? 'message' : undefined;
  }
  return undefined;
}

describe('issue 24: the ActionCable command parser under random input', () => {
  it('never throws, and accepts exactly the commands Rails executes', () => {
    fc.assert(
      fc.property(frame, (text) => {
        const parsed = parseCommand(text);
        expect(parsed.command === 'ignored' ? undefined : parsed.command).toBe(expected(text));
        if (parsed.command === 'ignored') expect(parsed.reason).toMatch(/\S/);
        if (parsed.command === 'message') expect(parsed.action).not.toMatch(/^\s*$/);
      }),
      { numRuns: 2000 },
    );
  });

  it('a live mock answers only valid subscribes, never closing or disturbing anyone', async () => {
    const mock = server.actioncable('/fuzz', { pingInterval: 0, channels: { ChatChannel: {} } });
    const client = await connect(mock.url);
    const bystander = await connect(mock.url);
    expect(await client.nextJson()).toEqual({ type: 'welcome' });
    expect(await bystander.nextJson()).toEqual({ type: 'welcome' });
    let round = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(frame, { minLength: 1, maxLength: 8 }), async (frames) => {
        round++;
        for (const text of frames) await client.send(text);
        // A sentinel on a fresh identifier: its confirmation comes after every answer to the frames above.
        const sentinel = JSON.stringify({ channel: 'ChatChannel', sentinel: round });
        await client.send({ command: 'subscribe', identifier: sentinel });
        const { value, skipped } = await client.nextWhere<{ identifier?: string; type?: string }>((v) => v.identifier === sentinel);
        expect(value).toEqual({ identifier: sentinel, type: 'confirm_subscription' });
        for (const answer of skipped) {
          expect(answer.type).toBe('confirm_subscription');
          expect(JSON.parse(answer.identifier!)).toMatchObject({ channel: 'ChatChannel' });
        }
        expect(client.ws.readyState).toBe(1);
      }),
      { numRuns: 60 },
    );
    expect(bystander.received).toHaveLength(1);
    await bystander.send({ command: 'subscribe', identifier: '{"channel":"ChatChannel"}' });
    expect(await bystander.nextJson()).toEqual({ identifier: '{"channel":"ChatChannel"}', type: 'confirm_subscription' });
  });
});

//
// Random frames against the Pusher kit: the parser never throws and accepts
// exactly the JSON objects with a non-empty string `event`; a live mock
// answers whatever a client sends with well-formed Pusher events only (an
// error always with an integer code and a message), keeps the connection
// open, and never disturbs another client.
//
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dataObject, parseFrame } from '../src/kits/pusher/protocol.js';
import { connect } from './helpers/client.js';
import { useMockServer } from './helpers/server.js';

const server = useMockServer();

const anything = fc.json({ maxDepth: 3 }).map((text) => JSON.parse(text) as unknown);
const channel = fc.oneof(fc.constantFrom('news', 'private-room', 'presence-room', '#server-to-user-1', 'bad name', ''), fc.string({ maxLength: 8 }), anything);
const event = fc.oneof(fc.constantFrom('pusher:ping', 'pusher:pong', 'pusher:subscribe', 'pusher:unsubscribe', 'pusher:signin', 'pusher:nope', 'client-typing', 'other'), anything);
const data = fc.oneof(
  anything,
  fc.record({ channel, auth: fc.oneof(fc.constant('app-key:00'), anything), channel_data: fc.oneof(fc.constant('{"user_id":"u"}'), anything), user_data: anything }, { requiredKeys: [] }),
  fc.record({ channel }, { requiredKeys: [] }).map((value) => JSON.stringify(value)),
);
/** Objects close to a Pusher event: each member present, missing or wrong. */
const frameValue = fc.oneof(anything, fc.record({ event, channel, data }, { requiredKeys: [] }));
const frame = fc.oneof(frameValue.map((value) => JSON.stringify(value)), fc.string({ maxLength: 40 }));

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

describe('issue 24: the Pusher parser under random input', () => {
  it('never throws; an event exactly for JSON objects with a non-empty string event and a string or absent channel', () => {
    fc.assert(
      fc.property(frame, (text) => {
        const parsed = parseFrame(text);
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch {
          value = undefined;
        }
        const valid = isObject(value) && typeof value.event === 'string' && value.event !== '' && (value.channel === undefined || typeof value.channel === 'string');
        expect(parsed.kind).toBe(valid ? 'event' : 'invalid');
        if (parsed.kind === 'event') {
          expect(parsed.frame.event).toBe((value as { event: string }).event);
          const body = dataObject(parsed.frame.data);
          expect(body === undefined || isObject(body)).toBe(true);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('issue 24: a Pusher mock under random frames', () => {
  it('answers only well-formed Pusher events, keeps the connection open and the bystander served', async () => {
    const app = server.pusher({ key: 'app-key', channels: { 'private-room': { replies: { 'client-typing': { event: 'typed' } } } } });
    const client = await connect(app.url);
    await client.nextJson();
    const bystander = await connect(app.url);
    await bystander.nextJson();
    expect(await bystander.askJson({ event: 'pusher:subscribe', data: { channel: 'watch' } })).toMatchObject({ event: 'pusher_internal:subscription_succeeded' });
    let sentinel = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(frame, { minLength: 1, maxLength: 5 }), async (frames) => {
        for (const text of frames) await client.send(text);
        const mark = `sentinel-${++sentinel}`;
        await client.send({ event: 'pusher:subscribe', data: { channel: mark } });
        for (;;) {
          const got = await client.nextJson<Record<string, unknown>>();
          expect(isObject(got) && typeof got.event === 'string' && got.event !== '').toBe(true);
          if (got.event === 'pusher:error') {
            const body = got.data as { code: unknown; message: unknown };
            expect(Number.isInteger(body.code) && typeof body.message === 'string').toBe(true);
          } else if (got.event !== 'pusher:pong' && got.data !== undefined) {
            expect(typeof got.data === 'string' || got.event === 'client-typing').toBe(true);
          }
          if (got.event === 'pusher_internal:subscription_succeeded' && got.channel === mark) break;
        }
        expect(client.isOpen).toBe(true);
      }),
      { numRuns: 100 },
    );
    app.trigger('watch', 'still-here', {});
    expect(await bystander.nextJson()).toEqual({ event: 'still-here', channel: 'watch', data: '{}' });
  });
});

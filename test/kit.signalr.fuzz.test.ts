//
// Random input against the SignalR kit's readers: the JSON and MessagePack
// readers never throw, whatever the frames and wherever they are cut, and
// read back every message the encoders wrote; a live hub answers random
// frames only with well-formed hub messages (or ends that connection with an
// error Close), and never disturbs another client.
//
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonCodec } from '../src/kits/signalr/codec.js';
import { loadMessagePack } from '../src/kits/signalr/msgpack.js';
import { checkMessage, encodeJson, RS, type HubMessage } from '../src/kits/signalr/protocol.js';
import { connect } from './helpers/client.js';
import { useMockServer } from './helpers/server.js';

const server = useMockServer();

const anything = fc.json({ maxDepth: 3 }).map((text) => JSON.parse(text) as unknown);
/** Whether `value` holds a map key `__proto__`, which `@msgpack/msgpack` refuses to decode. */
const hasProtoKey = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && Object.entries(value).some(([key, inner]) => key === '__proto__' || hasProtoKey(inner));
/** Values MessagePack carries both ways. */
const packable = anything.filter((value) => !hasProtoKey(value));
const id = fc.string({ minLength: 1, maxLength: 6 });
/** Any message a well-behaved peer could write, its values drawn from `anything`. */
const messageOf = (anything: fc.Arbitrary<unknown>): fc.Arbitrary<HubMessage> => fc.oneof(
  fc.record({ type: fc.constant(1 as const), target: fc.string({ maxLength: 8 }), arguments: fc.array(anything, { maxLength: 3 }) }),
  fc.record({ type: fc.constantFrom(1 as const, 4 as const), invocationId: id, target: fc.string({ maxLength: 8 }), arguments: fc.array(anything, { maxLength: 3 }), streamIds: fc.array(id, { minLength: 1, maxLength: 2 }) }),
  fc.record({ type: fc.constant(2 as const), invocationId: id, item: anything }),
  fc.record({ type: fc.constant(3 as const), invocationId: id, error: fc.string({ maxLength: 8 }), hasResult: fc.constant(false) }),
  fc.record({ type: fc.constant(3 as const), invocationId: id, result: anything, hasResult: fc.constant(true) }),
  fc.record({ type: fc.constant(5 as const), invocationId: id }),
  fc.constant({ type: 6 as const }),
  fc.record({ type: fc.constant(7 as const), error: fc.string({ maxLength: 8 }), allowReconnect: fc.boolean() }),
);
const message = messageOf(anything);
const packedMessage = messageOf(packable);
/** Cuts `whole` into pieces at random points. */
const cuts = (length: number) => fc.uniqueArray(fc.integer({ min: 0, max: length }), { maxLength: 4 }).map((points) => [0, ...points.sort((a, b) => a - b), length]);

describe('issue 25: the SignalR readers under random input', () => {
  it('checkMessage never throws on any JSON value, and accepts exactly what a real server would dispatch', () => {
    fc.assert(
      fc.property(fc.oneof(anything, fc.record({ type: fc.oneof(fc.integer({ min: 0, max: 10 }), anything), invocationId: anything, target: anything, arguments: anything, item: anything }, { requiredKeys: [] })), (value) => {
        const read = checkMessage(value);
        const object = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
        if (read.kind === 'message') expect(object && Number.isInteger(object.type)).toBe(true);
        if (object?.type === 1 && read.kind === 'message') expect(typeof object.target === 'string' && Array.isArray(object.arguments)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('the JSON reader never throws on random text cut anywhere, and reads back every message encodeJson wrote, however the frames cut them', () => {
    fc.assert(
      fc.property(fc.array(message, { minLength: 1, maxLength: 4 }), fc.string({ maxLength: 30 }), (messages, noise) => {
        const text = messages.map(encodeJson).join('');
        const reader = jsonCodec.reader(1 << 20);
        const points = [0, Math.floor(text.length / 3), Math.floor(text.length / 2), text.length];
        const read = points.slice(1).flatMap((end, i) => reader.read(text.slice(points[i], end)).messages);
        expect(read).toEqual(messages.map((m) => checkMessage(JSON.parse(encodeJson(m).slice(0, -1)))));
        expect(read.every((r) => r.kind === 'message')).toBe(true);
        expect(() => jsonCodec.reader(64).read(noise + RS + noise)).not.toThrow();
      }),
      { numRuns: 500 },
    );
  });

  it('the MessagePack reader never throws on random bytes cut anywhere, and reads back every message the codec wrote', async () => {
    const codec = await loadMessagePack();
    fc.assert(
      fc.property(fc.array(packedMessage, { minLength: 1, maxLength: 4 }), fc.uint8Array({ maxLength: 40 }), (messages, noise) => {
        const bytes = Buffer.concat(messages.map((m) => codec.encode(m) as Buffer));
        return fc.assert(
          fc.property(cuts(bytes.length), (points) => {
            const reader = codec.reader(1 << 20);
            const read = points.slice(1).flatMap((end, i) => reader.read(bytes.subarray(points[i], end)).messages);
            expect(read.map((r) => r.kind)).toEqual(messages.map(() => 'message'));
            expect(read.map((r) => (r.kind === 'message' ? r.message.type : 0))).toEqual(messages.map((m) => m.type));
            expect(() => codec.reader(64).read(Buffer.from(noise))).not.toThrow();
          }),
          { numRuns: 5 },
        );
      }),
      { numRuns: 300 },
    );
  });

  it('a MessagePack message read back equals what was written (Invocation and Completion fields)', async () => {
    const codec = await loadMessagePack();
    fc.assert(
      fc.property(packedMessage, (m) => {
        const [read] = codec.reader(1 << 20).read(codec.encode(m) as Buffer).messages;
        expect(read?.kind).toBe('message');
        const json = checkMessage(JSON.parse(encodeJson(m).slice(0, -1)));
        if (m.type === 1 || m.type === 3 || m.type === 5) expect(read).toEqual(json);
      }),
      { numRuns: 500 },
    );
  });

  it('a MessagePack map keyed __proto__ is read as an invalid message that says why, where JSON carries it as a plain key', async () => {
    const codec = await loadMessagePack();
    const m = JSON.parse('{"type":3,"invocationId":"1","result":{"a":{"__proto__":null}},"hasResult":true}') as HubMessage;
    const [read] = codec.reader(1 << 20).read(codec.encode(m) as Buffer).messages;
    expect(read).toEqual({ kind: 'invalid', reason: 'Deserializing object of the MessagePack failed: The key __proto__ is not allowed' });
    const [json] = jsonCodec.reader(1 << 20).read(encodeJson(m)).messages;
    expect(json?.kind === 'message' && Object.keys((json.message as { result: { a: object } }).result.a)).toEqual(['__proto__']);
  });
});

describe('issue 25: a SignalR hub under random frames', () => {
  const frame = fc.oneof(
    message.map(encodeJson),
    fc.string({ maxLength: 40 }),
    anything.map((v) => JSON.stringify(v) + RS),
    fc.record({ type: fc.integer({ min: 1, max: 9 }), invocationId: fc.option(id), target: fc.constantFrom('Echo', 'Nope', 'Stream'), arguments: fc.oneof(fc.array(anything, { maxLength: 2 }), anything) }, { requiredKeys: ['type'] }).map((v) => JSON.stringify(v) + RS),
  );

  it('answers with well-formed hub messages only, closes a connection only with an error Close, and the bystander stays served', async () => {
    const hub = server.signalr({
      methods: {
        Echo: (...args: unknown[]) => args[0] ?? null,
        Stream: async function* () {
          yield 1;
        },
      },
      pingInterval: 0,
    });
    const bystander = await connect(hub.url);
    await bystander.send(`{"protocol":"json","version":1}${RS}`);
    expect(await bystander.next()).toBe(`{}${RS}`);
    await fc.assert(
      fc.asyncProperty(fc.array(frame, { minLength: 1, maxLength: 4 }), async (frames) => {
        const client = await connect(hub.url);
        await client.send(`{"protocol":"json","version":1}${RS}`);
        expect(await client.next()).toBe(`{}${RS}`);
        for (const text of frames) await client.send(text);
        // A sentinel the server answers last, if the connection survived what came before it.
        await client.send(`${RS}{"type":1,"invocationId":"sentinel","target":"Echo","arguments":["end"]}${RS}`);
        for (;;) {
          const got = await Promise.race([client.next(), client.closed.then(() => undefined)]);
          if (got === undefined) break;
          for (const part of got.split(RS).slice(0, -1)) {
            const value = JSON.parse(part) as Record<string, unknown>;
            expect(checkMessage(value).kind).toBe('message');
            if (value.type === 7) expect(value.error).toMatch(/^Connection closed with an error\. InvalidDataException: /);
            if (value.invocationId === 'sentinel') {
              await client.close();
              return;
            }
          }
        }
        expect(client.isOpen).toBe(false);
      }),
      { numRuns: 60 },
    );
    expect(hub.send('Still', 'here')).toBeGreaterThanOrEqual(1);
    expect(await bystander.next()).toBe(`{"type":1,"target":"Still","arguments":["here"]}${RS}`);
  });
});

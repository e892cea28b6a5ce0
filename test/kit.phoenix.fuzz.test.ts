//
// Fuzz of the Phoenix serializers: whatever the real client's serializer
// encodes, the mock decodes to the same message, and what the mock encodes
// the client decodes back; no input makes the decoders throw; and random
// frames on the wire get an answer or a 1011 close, never a server error,
// never a disturbed neighbour.
//
import fc from 'fast-check';
import { Serializer } from 'phoenix';
import { describe, expect, it } from 'vitest';
import { decodeBinary, decodeText, encode, type PhoenixMessage } from '../src/kits/phoenix/serializer.js';
import { connect } from './helpers/client.js';
import { useMockServer } from './helpers/server.js';

const server = useMockServer();

const anything = fc.json({ maxDepth: 3 }).map((text) => JSON.parse(text) as unknown);
const ref = fc.oneof(fc.constant(null), fc.string({ maxLength: 8 }));
const name = fc.string({ maxLength: 20 });
// The client never sends a null payload (its encoder reads payload.constructor).
const message = fc.record({ join_ref: ref, ref, topic: name, event: name, payload: anything.filter((v) => v !== null) });

function clientEncode(msg: { join_ref: string | null; ref: string | null; topic: string; event: string; payload: unknown }): string | ArrayBuffer {
  let out: string | ArrayBuffer = '';
  Serializer.encode(msg, (encoded) => (out = encoded));
  return out;
}

function clientDecode(raw: string | ArrayBuffer) {
  let out: ReturnType<typeof JSON.parse>;
  Serializer.decode(raw, (decoded) => (out = decoded));
  return out;
}

const toArrayBuffer = (bytes: Buffer): ArrayBuffer => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;

describe('issue 24: fuzz of the Phoenix serializers', () => {
  it('decodes every text frame the real client encodes (vsn 2.0.0), and the client decodes what the mock encodes', () => {
    fc.assert(
      fc.property(message, (msg) => {
        const decoded = decodeText(clientEncode(msg) as string, '2.0.0');
        expect(decoded).toEqual({ message: { joinRef: msg.join_ref, ref: msg.ref, topic: msg.topic, event: msg.event, payload: msg.payload ?? null } });
        const back = encode((decoded as { message: PhoenixMessage }).message, '2.0.0');
        expect(clientDecode(back.payload as string)).toEqual({ ...msg, payload: msg.payload ?? null });
      }),
    );
  });

  it('decodes every binary push the real client encodes, and the client decodes the mock\'s binary push, reply and broadcast', () => {
    const short = fc.string({ maxLength: 10 });
    fc.assert(
      fc.property(short, short, short, short, fc.uint8Array({ maxLength: 32 }), (joinRef, refValue, topic, event, bytes) => {
        const payload = Buffer.from(bytes);
        const raw = Buffer.from(clientEncode({ join_ref: joinRef, ref: refValue, topic, event, payload: toArrayBuffer(payload) }) as ArrayBuffer);
        expect(decodeBinary(raw)).toEqual({ message: { joinRef, ref: refValue, topic, event, payload } });

        const push = clientDecode(toArrayBuffer(encode({ joinRef, ref: null, topic, event, payload }, '2.0.0').payload as Buffer));
        expect({ ...push, payload: Buffer.from(push.payload) }).toEqual({ join_ref: joinRef, ref: null, topic, event, payload });
        const broadcast = clientDecode(toArrayBuffer(encode({ joinRef: null, ref: null, topic, event, payload }, '2.0.0').payload as Buffer));
        expect({ ...broadcast, payload: Buffer.from(broadcast.payload) }).toEqual({ join_ref: null, ref: null, topic, event, payload });
        const reply = clientDecode(toArrayBuffer(encode({ joinRef, ref: refValue, topic, event: 'phx_reply', payload: { status: event, response: payload } }, '2.0.0').payload as Buffer));
        expect({ ...reply, payload: { ...reply.payload, response: Buffer.from(reply.payload.response) } }).toEqual({ join_ref: joinRef, ref: refValue, topic, event: 'phx_reply', payload: { status: event, response: payload } });
      }),
    );
  });

  it('round-trips vsn 1.0.0 objects', () => {
    fc.assert(
      fc.property(message, (msg) => {
        const { payload } = encode({ joinRef: msg.join_ref, ref: msg.ref, topic: msg.topic, event: msg.event, payload: msg.payload }, '1.0.0');
        expect(decodeText(payload as string, '1.0.0')).toEqual({ message: { joinRef: msg.join_ref, ref: msg.ref, topic: msg.topic, event: msg.event, payload: msg.payload ?? null } });
      }),
    );
  });

  it('never throws on any text or bytes: a message or the rule broken', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), anything.map((v) => JSON.stringify(v))), fc.uint8Array({ maxLength: 64 }), (text, bytes) => {
        for (const vsn of ['1.0.0', '2.0.0'] as const) {
          const decoded = decodeText(text, vsn);
          expect('message' in decoded || typeof decoded.problem === 'string').toBe(true);
        }
        const decoded = decodeBinary(Buffer.from(bytes));
        expect('message' in decoded || typeof decoded.problem === 'string').toBe(true);
      }),
    );
  });

  it('random frames on the wire: an answer or a 1011 close, no server error, the neighbour unaffected', async () => {
    const mock = server.phoenix('/socket', { channels: { 'room:*': { events: { e: { reply: { status: 'ok' } } } } } });
    const errors: Error[] = [];
    server.on('error', (error) => errors.push(error));
    const neighbour = await connect(`${mock.url}/websocket?vsn=2.0.0`);
    const near = fc.tuple(ref, ref, fc.constantFrom('room:a', 'phoenix', 'x'), fc.constantFrom('phx_join', 'phx_leave', 'heartbeat', 'e', 'other'), anything).map((t) => JSON.stringify(t));
    const frames = fc.array(fc.oneof(near, near, fc.string({ maxLength: 20 }), anything.map((v) => JSON.stringify(v))), { minLength: 1, maxLength: 6 });
    await fc.assert(
      fc.asyncProperty(frames, async (batch) => {
        const client = await connect(`${mock.url}/websocket?vsn=2.0.0`);
        for (const frame of batch) await client.send(frame);
        // A heartbeat after the batch: answered if the socket survived it, else the socket closed with 1011.
        await client.send(JSON.stringify([null, 'last', 'phoenix', 'heartbeat', {}])).catch(() => {});
        const end = await Promise.race([client.nextWhere<unknown[]>((v) => Array.isArray(v) && v[1] === 'last').then(() => 'answered'), client.closed.then((c) => c.code)]);
        expect([1011, 'answered']).toContain(end);
        await client.close();
      }),
      { numRuns: 25 },
    );
    expect(await neighbour.askJson([null, 'n', 'phoenix', 'heartbeat', {}])).toEqual([null, 'n', 'phoenix', 'phx_reply', { status: 'ok', response: {} }]);
    expect(errors).toEqual([]);
  });
});

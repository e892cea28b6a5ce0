//
// Random bytes against the STOMP frame parser: it never throws; frames
// encoded by the kit's own encoder are read back exactly however the bytes
// are cut into messages; and a live mock answers random frames with
// well-formed STOMP only, never disturbing another client.
//
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeFrame, StompParser, type StompVersion } from '../src/kits/stomp/frame.js';
import { connect } from './helpers/client.js';
import { useMockServer } from './helpers/server.js';
import { frame, parseFrames } from './helpers/stomp.js';

const server = useMockServer();

const command = fc.constantFrom('SEND', 'SUBSCRIBE', 'MESSAGE', 'ACK', 'BEGIN');
const headerName = fc.string({ minLength: 1, maxLength: 8 }).filter((name) => name !== 'content-length');
const headers = fc.dictionary(headerName, fc.string({ maxLength: 12 }), { maxKeys: 4 });
const body = fc.uint8Array({ maxLength: 40 }).map((bytes) => Buffer.from(bytes));
const version = fc.constantFrom<StompVersion>('1.1', '1.2');

/** `bytes` cut at `cuts` (positions, any order). */
function pieces(bytes: Buffer, cuts: number[]): Buffer[] {
  const at = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let from = 0;
  for (const cut of at) {
    out.push(bytes.subarray(from, cut));
    from = cut;
  }
  out.push(bytes.subarray(from));
  return out;
}

describe('issue 25: the STOMP parser under random input', () => {
  it('never throws on any bytes, and after an error yields nothing more', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 6 }), (chunks) => {
        const parser = new StompParser(128);
        let failed = false;
        for (const chunk of chunks) {
          const items = parser.push(Buffer.from(chunk));
          if (failed) expect(items).toEqual([]);
          if (items.some((item) => item.kind === 'error')) failed = true;
          expect(parser.pending).toBeLessThanOrEqual(128);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('reads back what the encoder wrote (headers escaped, bodies with NULs), however the bytes are cut', () => {
    fc.assert(
      fc.property(version, fc.array(fc.tuple(command, headers, body), { minLength: 1, maxLength: 4 }), fc.array(fc.nat(), { maxLength: 6 }), (v, frames, cuts) => {
        const wire = Buffer.concat(frames.map(([c, h, b]) => Buffer.concat([encodeFrame(c, h, b, v), Buffer.from('\n')])));
        const parser = new StompParser(1 << 20);
        parser.version = v;
        const items = pieces(wire, cuts).flatMap((piece) => parser.push(piece));
        const read = items.filter((item) => item.kind === 'frame');
        expect(items.filter((item) => item.kind === 'error')).toEqual([]);
        expect(items.filter((item) => item.kind === 'heartbeat')).toHaveLength(frames.length);
        expect(read).toHaveLength(frames.length);
        read.forEach((item, i) => {
          if (item.kind !== 'frame') return;
          const [c, h, b] = frames[i]!;
          expect(item.frame.command).toBe(c);
          expect(item.frame.body).toEqual(b);
          for (const [name, value] of Object.entries(h)) expect(item.frame.headers[name]).toBe(value);
        });
      }),
      { numRuns: 1000 },
    );
  });
});

describe('issue 25: a STOMP mock under random frames', () => {
  it('answers only well-formed frames (CONNECTED, RECEIPT, MESSAGE, ERROR), and the bystander stays served', async () => {
    const mock = server.stomp('/fuzz');
    const bystander = await connect(mock.url, { protocols: ['v12.stomp'] });
    await bystander.send(frame('CONNECT', { 'accept-version': '1.2', 'heart-beat': '0,0' }));
    expect(parseFrames(await bystander.next())[0]!.command).toBe('CONNECTED');
    const junk = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.tuple(fc.constantFrom('CONNECT', 'SEND', 'SUBSCRIBE', 'UNSUBSCRIBE', 'ACK', 'NACK', 'BEGIN', 'COMMIT', 'ABORT', 'DISCONNECT', 'NOPE'), fc.dictionary(fc.constantFrom('destination', 'id', 'receipt', 'transaction', 'ack', 'accept-version', 'content-length', 'x'), fc.string({ maxLength: 6 })), fc.string({ maxLength: 10 })).map(([c, h, b]) => frame(c, h, b)),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(junk, { minLength: 1, maxLength: 4 }), async (frames) => {
        const client = await connect(mock.url, { protocols: ['v12.stomp'] });
        for (const data of frames) await client.send(data).catch(() => {});
        await client.send(frame('DISCONNECT', { receipt: 'bye' })).catch(() => {});
        // Whatever is still held (a body awaiting its content-length, a frame awaiting its NUL) grows past the frame limit: the connection ends either way.
        await client.send('x'.repeat(70 * 1024)).catch(() => {});
        await client.closed;
        for (const received of client.received) {
          for (const got of parseFrames(received.text)) expect(['CONNECTED', 'RECEIPT', 'MESSAGE', 'ERROR']).toContain(got.command);
        }
      }),
      { numRuns: 60 },
    );
    await bystander.send(frame('SUBSCRIBE', { id: '1', destination: '/t', receipt: 'still-here' }));
    expect(parseFrames(await bystander.next())[0]).toMatchObject({ command: 'RECEIPT', headers: { 'receipt-id': 'still-here' } });
  });
});

import { describe, expect, it } from 'vitest';
import type { Connection } from '../src/connections/Connection.js';
import type { OutboundFrame } from '../src/connections/encode.js';
import { FrameMessage } from '../src/connections/Message.js';
import { assemble, type InboundFrame, type Stage } from '../src/pipeline/pipeline.js';
import { connect } from './helpers/client.js';
import { useMockServer } from './helpers/server.js';

// The pipeline's two phases with stages of the kind the coming capabilities
// add (a proxy, a recorder, chaos): asynchronous ones included. The stages
// here are assembled by hand around a real connection of a real server; the
// frames they let through are written to the real client.
const server = useMockServer();

/** A promise with its resolver, to hold a stage until the test lets it go. */
function gate<T>() {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => (open = resolve));
  return { promise, open };
}

async function liveConnection() {
  const mock = server.websocket('/p', { echoMode: false });
  const client = await connect(mock.url);
  const conn = await mock.waitForConnection();
  return { client, conn };
}

function inbound(conn: Connection, text: string): InboundFrame {
  return { connection: conn, message: new FrameMessage('in', conn.id, false, text, Buffer.byteLength(text)), raw: Buffer.from(text), binary: false, data: text };
}

const text = (payload: string): OutboundFrame => ({ payload, binary: false });
const reported: Error[] = [];
const host = { report: (error: Error) => void reported.push(error) };

describe('pipeline phases', () => {
  it('offers an inbound frame to each stage until one handles it, and keeps order behind an async stage', async () => {
    const { conn } = await liveConnection();
    const seen: string[] = [];
    const held = gate<boolean>();
    const slow: Stage = {
      name: 'slow',
      inbound: ({ message }: InboundFrame) => {
        seen.push(`slow ${message.text}`);
        return message.text === 'first' ? held.promise : false;
      },
    };
    const last: Stage = {
      name: 'last',
      inbound: ({ message }) => {
        seen.push(`last ${message.text}`);
        return true;
      },
    };
    const pipeline = assemble([slow, last], host);
    pipeline.inbound(inbound(conn, 'first'));
    pipeline.inbound(inbound(conn, 'second'));
    // The second frame waits for the first, which waits on its promise.
    expect(seen).toEqual(['slow first']);
    held.open(false);
    await expect.poll(() => seen).toEqual(['slow first', 'last first', 'slow second', 'last second']);
  });

  it('an async stage that handles the frame stops it there', async () => {
    const { conn } = await liveConnection();
    const seen: string[] = [];
    const pipeline = assemble(
      [
        { name: 'a', inbound: async () => true },
        { name: 'b', inbound: ({ message }) => (seen.push(message.text!), true) },
      ],
      host,
    );
    pipeline.inbound(inbound(conn, 'x'));
    pipeline.inbound(inbound(conn, 'y'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toEqual([]);
  });

  it('passes, replaces and drops outbound frames, in order even when a stage is async', async () => {
    const { client, conn } = await liveConnection();
    const held = gate<OutboundFrame | null>();
    const rewrite: Stage = {
      name: 'rewrite',
      outbound: (frame) => {
        if (frame.payload === 'slow') return held.promise;
        if (frame.payload === 'drop') return null;
        return frame.payload === 'upper' ? text('UPPER') : frame;
      },
    };
    const pipeline = assemble([rewrite], host);
    const sent: string[] = [];
    const done = (label: string) => (err?: Error) => sent.push(err ? `${label} failed` : label);
    pipeline.outbound(conn, text('slow'), done('slow'));
    pipeline.outbound(conn, text('drop'), done('drop'));
    pipeline.outbound(conn, text('upper'), done('upper'));
    pipeline.outbound(conn, text('plain'), done('plain'));
    expect(sent).toEqual([]);
    held.open(text('late'));
    expect(await client.next()).toBe('late');
    expect(await client.next()).toBe('UPPER');
    expect(await client.next()).toBe('plain');
    // Every send settles: written ones once flushed, the dropped one at once.
    await expect.poll(() => [...sent].sort()).toEqual(['drop', 'plain', 'slow', 'upper']);
    // Only what was written is journaled.
    expect(conn.messages.map((m) => m.text)).toEqual(['late', 'UPPER', 'plain']);
  });

  it('writes at once with no outbound stage (the fast path every mock takes today)', async () => {
    const { client, conn } = await liveConnection();
    const pipeline = assemble([], host);
    pipeline.outbound(conn, text('now'));
    expect(conn.messages.map((m) => m.text)).toEqual(['now']);
    expect(await client.next()).toBe('now');
  });

  it('reports a stage that throws or rejects and keeps serving', async () => {
    const { client, conn } = await liveConnection();
    reported.length = 0;
    const pipeline = assemble(
      [
        {
          name: 'faulty',
          inbound: ({ message }) => {
            if (message.text === 'throw') throw new Error('inbound threw');
            return Promise.reject(new Error('inbound rejected'));
          },
          outbound: (frame) => {
            if (frame.payload === 'boom') throw new Error('outbound threw');
            return frame;
          },
        },
      ],
      host,
    );
    pipeline.inbound(inbound(conn, 'throw'));
    pipeline.inbound(inbound(conn, 'reject'));
    pipeline.outbound(conn, text('boom'));
    expect(await client.next()).toBe('boom');
    await expect.poll(() => reported.map((e) => e.message)).toEqual(['inbound threw', 'outbound threw', 'inbound rejected']);
  });
});

//
// Chaos, proxy and record are layers on the core, not branches in it
// (issue 23, "Layers, not branches"): they reach a mock's pipeline and the
// upgrade through the generic hooks of layers/layer.ts and pipeline/stage.ts,
// and the core files name none of them.
//
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Connection } from '../src/connections/Connection.js';
import type { OutboundFrame } from '../src/connections/encode.js';
import { FrameMessage } from '../src/connections/Message.js';
import { compilePipeline, type InboundFrame, type PipelineLayer, type Stage } from '../src/pipeline/pipeline.js';
import { connect, refusal } from './helpers/client.js';
import { useMockServer } from './helpers/server.js';
import { useUpstream } from './helpers/upstream.js';

const server = useMockServer();
const upstream = useUpstream();

/** The modules a layer's name must not appear in (imports), and those that may name one for a public type only. */
const CORE = ['src/pipeline/pipeline.ts', 'src/pipeline/stage.ts', 'src/pipeline/stages/matchers.ts', 'src/server/upgrade.ts', 'src/server/held.ts', 'src/server/subprotocol.ts', 'src/server/refusal.ts', 'src/server/verify.ts'];
const TYPES_ONLY = ['src/server/MockServer.ts'];
const LAYER_IMPORT = /^import\s+(type\s+)?[^;]*from '\.\.\/(chaos|proxy|record)\/[^']+';$/gm;

function inbound(conn: Connection, text: string): InboundFrame {
  return { connection: conn, message: new FrameMessage('in', conn.id, false, text, Buffer.byteLength(text)), raw: Buffer.from(text), binary: false, data: text };
}

const text = (payload: string): OutboundFrame => ({ payload, binary: false });

async function liveConnection() {
  const mock = server.websocket('/l', { echoMode: false });
  const client = await connect(mock.url);
  const conn = await mock.waitForConnection();
  return { client, conn };
}

describe('issue 23: layers, not branches', () => {
  it('the pipeline and the upgrade import no layer; MockServer names one only for the types of its public methods', () => {
    for (const file of CORE) expect([...readFileSync(file, 'utf8').matchAll(LAYER_IMPORT)].map((m) => m[0]), file).toEqual([]);
    for (const file of TYPES_ONLY) {
      const imports = [...readFileSync(file, 'utf8').matchAll(LAYER_IMPORT)];
      expect(imports.length, file).toBeGreaterThan(0);
      expect(imports.filter((m) => m[1] === undefined).map((m) => m[0]), file).toEqual([]);
    }
  });

  it("a layer's stages run first and last around the mock's own, and a last stage takes echo's place", async () => {
    const { conn } = await liveConnection();
    const seen: string[] = [];
    const stage = (name: string, handles: boolean): Stage => ({
      name,
      connect: () => void seen.push(`connect ${name}`),
      inbound: ({ message }) => (seen.push(`${name} ${message.text}`), handles),
    });
    const layers: PipelineLayer[] = [{ stages: () => ({ first: stage('first', false), last: stage('last', true) }) }];
    const pipeline = compilePipeline({ path: '/l', onConnection: () => void seen.push('connect onConnection') }, {
      report: (error) => void seen.push(`report ${error.message}`),
      scenarioFailed: () => {},
      connectionCount: () => 1,
      layers,
    });
    pipeline.connect(conn);
    pipeline.inbound(inbound(conn, 'x'));
    // No echo: the layer's last stage handled what nothing else did.
    expect(seen).toEqual(['connect first', 'connect onConnection', 'connect last', 'first x', 'last x']);
    expect(conn.messages.filter((m) => m.direction === 'out')).toEqual([]);
  });

  it("wrappers sit between the stages and the socket, the first layer's nearest the socket both ways, started before the stages", async () => {
    const { client, conn } = await liveConnection();
    const seen: string[] = [];
    const wrapper = (name: string): PipelineLayer => ({
      wrap: (ends) => ({
        outbound: (connection, frame, callback) => {
          seen.push(`${name} out ${String(frame.payload)}`);
          ends.outbound(connection, { ...frame, payload: `${String(frame.payload)}+${name}` }, callback);
        },
        inbound: (frame) => {
          seen.push(`${name} in ${frame.message.text}`);
          ends.inbound(frame);
        },
        connect: () => void seen.push(`${name} connect`),
        disconnect: () => void seen.push(`${name} disconnect`),
      }),
    });
    const answer: Stage = { name: 'answer', connect: () => void seen.push('stage connect'), inbound: ({ message }) => (seen.push(`stage ${message.text}`), true) };
    const layers = [wrapper('a'), wrapper('b'), { stages: () => ({ first: answer }) }];
    const pipeline = compilePipeline({ path: '/l', echoMode: false }, { report: () => {}, scenarioFailed: () => {}, connectionCount: () => 1, layers });
    pipeline.connect(conn);
    pipeline.inbound(inbound(conn, 'x'));
    pipeline.outbound(conn, text('y'));
    expect(seen).toEqual(['a connect', 'b connect', 'stage connect', 'a in x', 'b in x', 'stage x', 'b out y', 'a out y+b']);
    expect(await client.next()).toBe('y+b+a');
    pipeline.disconnect(conn);
    expect(seen.slice(-2)).toEqual(['a disconnect', 'b disconnect']);
  });

  it('a proxy handshake refused after its upstream opened (no subprotocol to require) closes that upstream', async () => {
    const mock = server.websocket({ path: '/strict', proxy: { url: upstream.url }, requireSubprotocol: true });
    const from = upstream.events.length;
    const refused = await refusal(mock.url);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: 'subprotocol_required', offered: [] });
    await upstream.waitForEvent((e) => e.event === 'connection', from);
    await upstream.waitForEvent((e) => e.event === 'close', from);
  });
});

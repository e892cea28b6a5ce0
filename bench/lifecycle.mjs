// Scenario 6: what one test pays for a fresh server. Runs in one process, as a
// test would: create, define a mock, connect a client, one round trip, close.
import { WebSocketServer } from 'ws';
import WebSocket from 'ws';
import { createMockServer } from '../dist/index.js';

const [kind, cyclesArg] = process.argv.slice(2);
const cycles = Number(cyclesArg);

async function roundTrip(url) {
  const client = new WebSocket(url);
  await new Promise((resolve, reject) => {
    client.once('open', resolve);
    client.once('error', reject);
  });
  const reply = new Promise((resolve) => client.once('message', resolve));
  client.send('ping');
  await reply;
  return client;
}

async function wsmockCycle() {
  const server = await createMockServer();
  const mock = server.websocket('/test');
  await roundTrip(mock.url);
  await server.close();
}

async function baselineCycle() {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((resolve) => wss.once('listening', resolve));
  wss.on('connection', (ws) => ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary })));
  const client = await roundTrip(`ws://127.0.0.1:${wss.address().port}/test`);
  // The same clean close wsmock does: close handshake, then the listener.
  const closed = new Promise((resolve) => client.once('close', resolve));
  for (const ws of wss.clients) ws.close(1001);
  await closed;
  await new Promise((resolve) => wss.close(resolve));
}

const cycle = kind === 'wsmock' ? wsmockCycle : baselineCycle;
for (let i = 0; i < 20; i++) await cycle(); // warm-up
const times = [];
for (let i = 0; i < cycles; i++) {
  const started = performance.now();
  await cycle();
  times.push(performance.now() - started);
}
times.sort((a, b) => a - b);
process.send({ median: times[Math.floor(times.length / 2)], p99: times[Math.min(times.length - 1, Math.floor(times.length * 0.99))] });

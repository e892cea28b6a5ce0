// Load generator process: the same client load against whichever server
// run.mjs points it at. Separate from the servers so the client side never
// competes unnoticed with the server inside one event loop.
import WebSocket from 'ws';
import { loadMessage } from './scenarios.mjs';

const wallNow = () => performance.timeOrigin + performance.now();
let clients = [];

async function openClients(url, count, batch = 250) {
  const opened = [];
  for (let i = 0; i < count; i += batch) {
    const group = [];
    for (let j = i; j < Math.min(count, i + batch); j++) {
      group.push(
        new Promise((resolve, reject) => {
          const ws = new WebSocket(url, { perMessageDeflate: false });
          ws.once('open', () => resolve(ws));
          ws.once('error', reject);
        }),
      );
    }
    opened.push(...(await Promise.all(group)));
  }
  return opened;
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/**
 * Each client keeps `inFlight` messages outstanding until it has had `perClient`
 * replies. The clients connect first and report `connected`; the timed load starts
 * on `go`, so run.mjs can read the server's CPU clock exactly at both ends.
 */
async function roundTrips({ url, clients: count, inFlight, perClient, scenario }) {
  clients = await openClients(url, count);
  process.send({ type: 'connected' });
  await nextCommand('go');
  const total = count * perClient;
  const latencies = new Float64Array(total);
  let done = 0;
  let seq = 0;
  const started = performance.now();
  await new Promise((resolve) => {
    for (const ws of clients) {
      const pending = [];
      let sent = 0;
      const sendOne = () => {
        if (sent >= perClient) return;
        sent++;
        pending.push(performance.now());
        ws.send(loadMessage(scenario, seq++));
      };
      ws.on('message', () => {
        latencies[done++] = performance.now() - pending.shift();
        if (done === total) resolve();
        else sendOne();
      });
      for (let i = 0; i < inFlight; i++) sendOne();
    }
  });
  const elapsed = performance.now() - started;
  const sorted = Array.from(latencies).sort((a, b) => a - b);
  return { messages: total, messagesPerSecond: (total / elapsed) * 1000, p50: percentile(sorted, 50), p99: percentile(sorted, 99), elapsedMs: elapsed };
}

// Commands a running load waits for (`go`), resolved by the message handler below.
const awaited = new Map();
function nextCommand(type) {
  return new Promise((resolve) => awaited.set(type, resolve));
}

let waitingFor = 0;
let onAllReceived;

process.on('message', async (command) => {
  const resume = awaited.get(command.type);
  if (resume) {
    awaited.delete(command.type);
    return resume(command);
  }
  try {
    switch (command.type) {
      case 'roundtrips':
        process.send({ type: 'result', result: await roundTrips(command) });
        break;
      case 'hold':
        clients = await openClients(command.url, command.clients);
        process.send({ type: 'holding', clients: clients.length });
        break;
      case 'arm': {
        // Wait for one message on every client; report the wall-clock time the last one arrived.
        waitingFor = clients.length;
        for (const ws of clients) {
          ws.once('message', () => {
            if (--waitingFor === 0) onAllReceived(wallNow());
          });
        }
        onAllReceived = (at) => process.send({ type: 'all-received', at });
        process.send({ type: 'armed' });
        break;
      }
      case 'close':
        for (const ws of clients) ws.terminate();
        clients = [];
        process.send({ type: 'closed' });
        process.disconnect();
        break;
    }
  } catch (err) {
    process.send({ type: 'error', message: err.stack ?? String(err) });
  }
});
process.send({ type: 'ready' });

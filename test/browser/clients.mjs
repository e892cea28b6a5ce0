// Opens many `ws` clients in a process of its own (so the server under test
// and its clients do not share a CPU's event loop): node clients.mjs URL COUNT
// [RATE]. Prints "open N" once all are open; with RATE, the first client then
// sends RATE frames a second. Exits when its stdin closes.
import { WebSocket } from 'ws';

const [url, countArg, rateArg] = process.argv.slice(2);
const count = Number(countArg);
const rate = Number(rateArg ?? 0);
const sockets = [];
const BATCH = 200;

function open() {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

for (let i = 0; i < count; i += BATCH) {
  // Sequential batches: the first client is conn-1 on a fresh server.
  if (i === 0) sockets.push(await open());
  const batch = [];
  for (let j = i === 0 ? 1 : i; j < Math.min(i + BATCH, count); j++) batch.push(open());
  sockets.push(...(await Promise.all(batch)));
}
process.stdout.write(`open ${sockets.length}\n`);

let timer;
if (rate > 0) {
  let n = 0;
  const perTick = Math.max(1, Math.round(rate / 100));
  timer = setInterval(() => {
    for (let k = 0; k < perTick; k++) sockets[0].send(JSON.stringify({ n: n++, at: Date.now() }));
  }, 10);
}
process.stdin.resume();
process.stdin.on('end', () => {
  clearInterval(timer);
  for (const ws of sockets) ws.terminate();
  process.exit(0);
});

// Echo throughput of a wsmock mock with 20 `json` matchers where only the last
// one matches, as a ratio to a bare `ws` echo server, under the same load.
//
//   npm run build && npm run bench:matchers [-- --rounds 6 --messages 20000 --clients 50 --inflight 8 --with-echo]
//
// Each server runs in a child process of its own (child_process.fork); this
// process is the load generator. Rounds alternate baseline, wsmock, baseline,
// wsmock… so drift in the machine's load hits both alike. `--with-echo` adds a
// third server, a wsmock echo mock, to separate the core's cost from the
// matchers'. Not a test: it prints figures, it asserts nothing.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import WebSocket, { WebSocketServer } from 'ws';

const MATCHERS = 20;

async function serve(kind) {
  let port;
  let stop;
  if (kind === 'baseline') {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false, clientTracking: false });
    wss.on('connection', (ws) => ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary })));
    await new Promise((resolve) => wss.once('listening', resolve));
    port = wss.address().port;
    stop = () => new Promise((resolve) => wss.close(resolve));
  } else {
    const { createMockServer } = await import('../dist/index.js');
    const server = await createMockServer();
    const matchers = Array.from({ length: MATCHERS }, (_, i) => ({
      match: { type: 'json', path: '$.type', value: `t${i}` },
      response: { type: 'json', value: { type: '{{message.type}}', seq: '{{message.seq}}', payload: '{{message.payload}}' } },
    }));
    // `echo`: a mock with no matchers, for telling the core's cost (journal,
    // events) from the matcher pipeline's.
    server.websocket('/bench', kind === 'echo' ? {} : { matchers });
    port = server.port;
    stop = () => server.close();
  }
  process.send({ ready: true, url: `ws://127.0.0.1:${port}${kind === 'baseline' ? '/' : '/bench'}` });
  process.on('message', async (msg) => {
    if (msg === 'cpu') process.send({ cpu: process.cpuUsage() });
    if (msg === 'stop') {
      await stop();
      process.exit(0);
    }
  });
}

/** The server's CPU time so far (user + system), in microseconds. */
function cpuOf(server) {
  return new Promise((resolve) => {
    server.child.once('message', (msg) => resolve(msg.cpu.user + msg.cpu.system));
    server.child.send('cpu');
  });
}

function start(kind) {
  // WSMOCK_BENCH_PROFILE=1 writes a CPU profile of each server to bench/results/.
  const execArgv = process.env.WSMOCK_BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${fileURLToPath(new URL('./results/', import.meta.url))}`, `--cpu-prof-name=${kind}.cpuprofile`] : [];
  const child = fork(fileURLToPath(import.meta.url), ['--serve', kind], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', (msg) => resolve({ kind, child, url: msg.url }));
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
  });
}

async function load(url, { clients, inflight, messages }) {
  const payload = 'x'.repeat(64);
  const sockets = await Promise.all(
    Array.from({ length: clients }, () => new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { perMessageDeflate: false });
      ws.once('open', () => resolve(ws));
      ws.once('error', reject);
    })),
  );
  let sent = 0;
  let received = 0;
  const started = process.hrtime.bigint();
  await new Promise((resolve) => {
    const sendOne = (ws) => {
      if (sent >= messages) return;
      sent++;
      ws.send(JSON.stringify({ type: `t${MATCHERS - 1}`, seq: sent, payload }));
    };
    for (const ws of sockets) {
      ws.on('message', () => {
        received++;
        if (received === messages) resolve();
        else sendOne(ws);
      });
      for (let i = 0; i < inflight; i++) sendOne(ws);
    }
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await Promise.all(sockets.map((ws) => new Promise((resolve) => { ws.once('close', resolve); ws.close(); })));
  return messages / seconds;
}

const fmt = (rate) => Math.round(rate).toLocaleString('en-US').padStart(9);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

async function main() {
  const { values } = parseArgs({
    options: {
      serve: { type: 'string' },
      rounds: { type: 'string', default: '6' },
      messages: { type: 'string', default: '20000' },
      clients: { type: 'string', default: '50' },
      inflight: { type: 'string', default: '8' },
      'with-echo': { type: 'boolean', default: false },
    },
  });
  if (values.serve) return serve(values.serve);

  const options = { clients: Number(values.clients), inflight: Number(values.inflight), messages: Number(values.messages) };
  const rounds = Number(values.rounds);
  const kinds = ['baseline', 'wsmock', ...(values['with-echo'] ? ['echo'] : [])];
  const servers = [];
  for (const kind of kinds) servers.push(await start(kind));
  console.log(`json-matchers: ${MATCHERS} json matchers, the last one matches; ${options.clients} clients x ${options.inflight} in flight, ${options.messages} messages a round, ${rounds} rounds`);
  // Warm-up: JIT both sides before measuring.
  for (const s of servers) await load(s.url, { ...options, messages: Math.min(5000, options.messages) });

  const rates = { baseline: [], wsmock: [], echo: [] };
  const cpu = { baseline: [], wsmock: [], echo: [] };
  const ratios = [];
  for (let round = 1; round <= rounds; round++) {
    for (const s of servers) {
      const before = await cpuOf(s);
      const rate = await load(s.url, options);
      const perMessage = ((await cpuOf(s)) - before) / options.messages;
      rates[s.kind].push(rate);
      cpu[s.kind].push(perMessage);
      console.log(`round ${round}  ${s.kind.padEnd(8)} ${fmt(rate)} msg/s   server CPU ${perMessage.toFixed(1).padStart(5)} us/msg`);
    }
    ratios.push(rates.wsmock.at(-1) / rates.baseline.at(-1));
  }
  const baseline = median(rates.baseline);
  const wsmock = median(rates.wsmock);
  console.log(`median   baseline ${fmt(baseline)} msg/s   server CPU ${median(cpu.baseline).toFixed(1).padStart(5)} us/msg`);
  console.log(`median   wsmock   ${fmt(wsmock)} msg/s   server CPU ${median(cpu.wsmock).toFixed(1).padStart(5)} us/msg`);
  if (rates.echo.length) console.log(`median   echo     ${fmt(median(rates.echo))} msg/s   server CPU ${median(cpu.echo).toFixed(1).padStart(5)} us/msg  (wsmock mock without matchers)`);
  // Each round's two runs are adjacent in time; the median of their ratios is
  // the figure least moved by other load on the machine.
  console.log(`ratio wsmock/baseline: ${median(ratios).toFixed(2)} (median of per-round ratios ${ratios.map((r) => r.toFixed(2)).join(' ')}; target >= 0.80)`);
  for (const s of servers) s.child.send('stop');
}

await main();

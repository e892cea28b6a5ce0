// wsmock benchmarks: each scenario runs on wsmock and on a bare `ws` server
// doing the same job, alternated A B A B, with servers and load generator in
// separate processes. Prints medians and wsmock/baseline ratios and writes JSON.
//
//   npm run bench                 full sizes, results in bench/results/latest.json
//   npm run bench -- --quick      small sizes, a smoke check (bench/results/quick.json)
//   npm run bench -- --only echo,broadcast --rounds 5
//   npm run bench -- --only soak  1,000,000 round trips through `wsmock serve`: heap after GC
//   npm run bench -- --only templated --profile   CPU profiles of the server processes
//                                                 in bench/results/profiles (node --cpu-prof)
//   npm run bench -- --only echo --heap-profile   sampled allocation profiles of the server
//                                                 processes there too (node --heap-prof)
//   BENCH_ROUNDS=5 npm run bench                  the rounds, when --rounds is not given
//   npm run bench -- --only echo --against ../old  head to head: the baseline side is wsmock
//                                                 from another checkout's build (its dist/)
import { fork } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { isTls, needsUpstream, wsmockBaseline } from './scenarios.mjs';
import { measureFanout } from './actioncable.mjs';
import { measureStompFanout } from './stomp.mjs';
import { measureSignalrFanout } from './signalr.mjs';
import { measurePhoenixFanout } from './phoenix.mjs';
import { measureMqttFanout } from './mqtt.mjs';
import { benchCertificate } from './tls.mjs';
import { measureRoute } from './route.mjs';
import { measureRemoteWait } from './remote.mjs';

const { values } = parseArgs({
  options: { quick: { type: 'boolean' }, only: { type: 'string' }, rounds: { type: 'string' }, profile: { type: 'boolean' }, 'heap-profile': { type: 'boolean' }, against: { type: 'string' } },
});
// --against DIR: the baseline of every scenario is the same scenario on wsmock built in DIR.
const against = values.against === undefined ? undefined : pathToFileURL(resolve(values.against, 'dist/index.js')).href;
if (against !== undefined && !existsSync(new URL(against))) throw new Error(`--against ${values.against}: no dist/index.js there (run npm run build in it)`);
const quick = values.quick === true;
const rounds = Number(values.rounds ?? process.env.BENCH_ROUNDS ?? (quick ? 2 : 3));
if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`rounds (--rounds or BENCH_ROUNDS) must be a positive integer, got ${values.rounds ?? process.env.BENCH_ROUNDS}`);
// Round trips: every client does exactly `perClient` (the reference setup is
// 50 clients x 2,000 round trips, 8 in flight). Soak: `reconnectEvery` counts the
// frames on a connection, both ways (10,000 frames = 5,000 round trips).
const sizes = quick
  ? { clients: 10, inFlight: 8, perClient: 500, many: 500, cycles: 50, graphql: { subscribers: 100, payloads: 20 }, pusher: { subscribers: 100, triggers: 20 }, soak: { clients: 10, roundTrips: 20_000, reconnectEvery: 1_000, inFlight: 8, warmup: 20 } }
  : { clients: 50, inFlight: 8, perClient: 2_000, many: 10_000, cycles: 500, graphql: { subscribers: 1_000, payloads: 100 }, pusher: { subscribers: 1_000, triggers: 100 }, soak: { clients: 100, roundTrips: 1_000_000, reconnectEvery: 10_000, inFlight: 8, warmup: 100 } };

const here = new URL('.', import.meta.url);
// The server process's user + system CPU time over the load, per round trip.
const CPU = 'cpu µs/msg';
const wallNow = () => performance.timeOrigin + performance.now();

// Every child still running when this process exits (a scenario threw, or the
// deadline passed) is killed, so a failed run leaves no server behind.
const running = new Set();
process.on('exit', () => {
  for (const proc of running) proc.kill('SIGKILL');
});

/** A forked child with a typed "wait for the next message of this type". */
function child(file, args = [], execArgv = [], stdio = ['ignore', 'inherit', 'inherit', 'ipc']) {
  const proc = fork(file instanceof URL ? file : new URL(file, here), args, { execArgv: ['--expose-gc', ...execArgv], stdio });
  running.add(proc);
  const inbox = [];
  const waiting = [];
  proc.on('message', (message) => {
    if (message.type === 'error') throw new Error(`${file}: ${message.message}`);
    const i = waiting.findIndex((w) => w.type === message.type);
    if (i >= 0) waiting.splice(i, 1)[0].resolve(message);
    else inbox.push(message);
  });
  let gone;
  const next = (type) => {
    const i = inbox.findIndex((m) => m.type === type);
    if (i >= 0) return Promise.resolve(inbox.splice(i, 1)[0]);
    if (gone) return Promise.reject(new Error(`${file} exited (${gone}) before sending "${type}"`));
    return new Promise((resolve, reject) => waiting.push({ type, resolve, reject }));
  };
  const exited = new Promise((resolve) =>
    proc.once('exit', (code, signal) => {
      running.delete(proc);
      gone = signal ?? `exit ${code}`;
      for (const w of waiting.splice(0)) w.reject(new Error(`${file} exited (${gone}) before sending "${w.type}"`));
      resolve({ code, signal });
    }),
  );
  return { proc, next, send: (m) => proc.send(m), exited };
}

const profileDir = new URL('results/profiles/', here).pathname;
// --heap-profile samples an allocation every 32 KiB (node's default, 512 KiB, misses the small per-frame objects).
const profileArgs = [
  ...(process.env.BENCH_NODE_ARGS ? process.env.BENCH_NODE_ARGS.split(" ") : []),
  ...(values.profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
  ...(values['heap-profile'] ? ['--heap-prof', `--heap-prof-dir=${profileDir}`, '--heap-prof-interval=32768'] : []),
];

async function withServer(kind, scenario, fn, extra = {}) {
  const other = against !== undefined && kind === 'baseline' ? { kind: 'wsmock', dist: against } : { kind };
  const server = child('server.mjs', [JSON.stringify({ scenario, ...extra, ...other })], profileArgs);
  const ready = await server.next('ready');
  try {
    return await fn(server, ready);
  } finally {
    server.send({ type: 'close' });
    await server.exited;
  }
}

async function withLoad(fn) {
  const load = child('load.mjs');
  await load.next('ready');
  try {
    return await fn(load);
  } finally {
    load.send({ type: 'close' });
    await load.exited;
  }
}

/** The server process's user and system CPU time so far, in microseconds. */
async function serverCpu(server) {
  server.send({ type: 'cpu' });
  return (await server.next('cpu')).usage;
}

// One measurement of one scenario on one server kind. Returns { metric: value }.
const measure = {
  async roundtrips(kind, scenario) {
    // proxy-echo: wsmock forwards to a bare ws echo server in a third process;
    // only wsmock's own CPU is counted (the baseline is that upstream alone).
    // recording-overhead: both sides are proxy mocks (with and without record), each with its upstream.
    const mocked = kind === 'wsmock' ? scenario : wsmockBaseline(scenario);
    if (mocked !== undefined && needsUpstream(mocked)) {
      // 'upstream': always the bare ws echo, also with --against.
      return withServer('upstream', 'echo', (_upstream, { url }) => measure.roundtripsOn(kind, scenario, url));
    }
    return measure.roundtripsOn(kind, scenario);
  },
  async roundtripsOn(kind, scenario, upstream) {
    // tls-echo: both servers get the same certificate; the load trusts it.
    const tls = isTls(scenario) ? await benchCertificate() : undefined;
    return withServer(kind, scenario, (server, { url }) =>
      withLoad(async (load) => {
        load.send({ type: 'roundtrips', url, scenario, clients: sizes.clients, inFlight: sizes.inFlight, perClient: sizes.perClient, ca: tls?.cert });
        // The clients are connected; the server's CPU clock is read right before
        // the first message and right after the last reply.
        await load.next('connected');
        const before = await serverCpu(server);
        load.send({ type: 'go' });
        const { result } = await load.next('result');
        const after = await serverCpu(server);
        const cpuMicros = after.user - before.user + (after.system - before.system);
        return { 'messages/s': result.messagesPerSecond, [CPU]: cpuMicros / result.messages, 'p50 ms': result.p50, 'p99 ms': result.p99 };
      }),
      { ...(tls ? { tls } : {}), ...(upstream ? { upstream } : {}) },
    );
  },
  // broadcast: WebSocket clients; sse-broadcast: raw HTTP clients holding SSE streams.
  async broadcast(kind, scenario = 'broadcast') {
    const sse = scenario === 'sse-broadcast';
    return withServer(kind, scenario, (server, { url }) =>
      withLoad(async (load) => {
        load.send({ type: sse ? 'sse-hold' : 'hold', url, clients: sizes.many });
        await load.next('holding');
        const times = [];
        for (let i = 0; i < 5; i++) {
          load.send({ type: sse ? 'sse-arm' : 'arm' });
          await load.next('armed');
          const started = wallNow();
          server.send({ type: 'broadcast', text: `tick ${i}` });
          const { recipients } = await server.next('broadcast');
          if (recipients !== sizes.many) throw new Error(`broadcast reached ${recipients} of ${sizes.many}`);
          const { at } = await load.next('all-received');
          times.push(at - started);
        }
        return { 'ms to last client': median(times) };
      }),
    );
  },
  async 'graphql-subscribers'(kind) {
    const { subscribers, payloads } = sizes.graphql;
    return withServer(kind, 'graphql-subscribers', (server, { url }) =>
      withLoad(async (load) => {
        load.send({ type: 'graphql-subscribe', url, clients: subscribers });
        await load.next('subscribing');
        // The clients subscribe on their own time; the burst starts once the
        // server runs every subscription.
        for (let count = 0; count < subscribers; ) {
          await new Promise((resolve) => setTimeout(resolve, 20));
          server.send({ type: 'subscribers' });
          ({ count } = await server.next('subscribers'));
        }
        const times = [];
        const cpu = [];
        for (let burst = 0; burst < 3; burst++) {
          const from = burst * payloads;
          load.send({ type: 'graphql-arm', last: from + payloads - 1, total: from + payloads });
          await load.next('armed');
          const before = await serverCpu(server);
          const started = wallNow();
          server.send({ type: 'publish', from, count: payloads });
          const { recipients } = await server.next('published');
          if (recipients !== subscribers) throw new Error(`a publish reached ${recipients} of ${subscribers} subscribers`);
          const { at } = await load.next('all-received');
          times.push(at - started);
          const after = await serverCpu(server);
          cpu.push(after.user - before.user + (after.system - before.system));
        }
        return { 'ms to last payload': median(times), 'server CPU ms': median(cpu) / 1000 };
      }),
    );
  },
  // pusher-fanout: the baseline is the broadcast scenario's plain WebSocket mock sending the same frames.
  async 'pusher-fanout'(kind) {
    const { subscribers, triggers } = sizes.pusher;
    return withServer(kind, 'pusher-fanout', (server, { url }) =>
      withLoad(async (load) => {
        load.send({ type: 'pusher-subscribe', url, clients: subscribers, pusher: new URL(url).pathname.startsWith('/app/') });
        await load.next('subscribing');
        server.send({ type: 'subscribers' });
        const { count } = await server.next('subscribers');
        if (count !== subscribers) throw new Error(`${count} of ${subscribers} clients subscribed`);
        const times = [];
        const cpu = [];
        for (let burst = 0; burst < 3; burst++) {
          const from = burst * triggers;
          load.send({ type: 'pusher-arm', last: from + triggers - 1, total: from + triggers });
          await load.next('armed');
          const before = await serverCpu(server);
          const started = wallNow();
          server.send({ type: 'publish', from, count: triggers });
          const { recipients } = await server.next('published');
          if (recipients !== subscribers) throw new Error(`a trigger reached ${recipients} of ${subscribers} clients`);
          const { at } = await load.next('all-received');
          times.push(at - started);
          const after = await serverCpu(server);
          cpu.push(after.user - before.user + (after.system - before.system));
        }
        return { 'ms to last message': median(times), [CPU]: median(cpu) / (subscribers * triggers) };
      }),
    );
  },
  async 'idle-memory'(kind) {
    return withServer(kind, 'idle-memory', (server, { url }) =>
      withLoad(async (load) => {
        // RSS and the heap used, both after GC: RSS holds the sockets' native
        // buffers too, the heap only what the server's JavaScript keeps.
        server.send({ type: 'memory' });
        const before = await server.next('memory');
        load.send({ type: 'hold', url, clients: sizes.many });
        await load.next('holding');
        server.send({ type: 'memory' });
        const after = await server.next('memory');
        return { 'bytes/connection': (after.rss - before.rss) / sizes.many, 'heap bytes/connection': (after.heapUsed - before.heapUsed) / sizes.many };
      }),
    );
  },
  async lifecycle(kind) {
    const run = fork(new URL('lifecycle.mjs', here), [kind, String(sizes.cycles)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const result = await new Promise((resolve) => run.once('message', resolve));
    await new Promise((resolve) => run.once('exit', resolve));
    return { 'median ms/cycle': result.median, 'p99 ms/cycle': result.p99 };
  },
  async 'admin-list'(kind) {
    if (kind !== 'wsmock') return {};
    return withServer(kind, 'admin-list', (_server, { url, adminUrl }) =>
      withLoad(async (load) => {
        load.send({ type: 'hold', url, clients: sizes.many });
        await load.next('holding');
        const times = [];
        let bytes = 0;
        for (let i = 0; i < 5; i++) {
          const started = performance.now();
          const response = await fetch(`${adminUrl}/websocket/connections`);
          const body = await response.arrayBuffer();
          times.push(performance.now() - started);
          bytes = body.byteLength;
          const listed = JSON.parse(Buffer.from(body).toString()).connections.length;
          if (listed !== sizes.many) throw new Error(`listed ${listed} of ${sizes.many} connections`);
        }
        return { 'ms per request': median(times), 'response KiB': bytes / 1024 };
      }),
    );
  },
  async soak(kind) {
    if (kind !== 'wsmock') return {};
    const { clients, roundTrips, reconnectEvery, inFlight, warmup } = sizes.soak;
    if (roundTrips % (2 * clients) !== 0 || reconnectEvery % 2 !== 0) throw new Error('soak sizes: every client must do the same even number of round trips');
    const serve = await startServe();
    let figures;
    try {
      figures = await withLoad(async (load) => {
        const memory = async () => {
          serve.send({ type: 'memory' });
          return (await serve.next('memory')).usage;
        };
        load.send({ type: 'soak', url: `${serve.url}/ws`, clients, perClient: roundTrips / clients, reconnectEvery, inFlight, warmup });
        await load.next('soak-ready');
        const start = await memory();
        load.send({ type: 'go' });
        await load.next('soak-half');
        const half = await memory();
        load.send({ type: 'go' });
        const { result } = await load.next('soak-end');
        const end = await memory();
        if (result.roundTrips !== roundTrips) throw new Error(`soak: ${result.roundTrips} of ${roundTrips} round trips`);
        const mb = (bytes) => bytes / 1e6;
        return {
          'MB heap growth': mb(end.heapUsed - half.heapUsed),
          'MB rss growth': mb(end.rss - half.rss),
          'heap MB start': mb(start.heapUsed),
          'heap MB half': mb(half.heapUsed),
          'heap MB end': mb(end.heapUsed),
          'rss MB start': mb(start.rss),
          'rss MB half': mb(half.rss),
          'rss MB end': mb(end.rss),
          'round trips/s': (result.roundTrips / result.elapsedMs) * 1000,
          connections: result.connectionsOpened,
        };
      });
    } catch (err) {
      await serve.stop().catch(() => {}); // the first error is the one to report
      throw err;
    }
    await serve.stop();
    return figures;
  },
};

/**
 * `wsmock serve --config bench/soak.yaml` as a user runs it, plus the bench-only
 * probe (--require) that answers { type: 'memory' } over IPC with the heap after a
 * forced GC. Resolves once serve has printed where it listens.
 */
async function startServe() {
  const cli = new URL('../dist/cli.js', here);
  const args = ['serve', '--config', new URL('soak.yaml', here).pathname, '--port', '0', '--admin-port', '0'];
  const serve = child(cli, args, ['--require', new URL('soak-probe.cjs', here).pathname, ...profileArgs], ['ignore', 'pipe', 'pipe', 'ipc']);
  let output = '';
  serve.proc.stdout.on('data', (d) => (output += d));
  serve.proc.stderr.on('data', (d) => (output += d));
  const listening = await new Promise((resolve, reject) => {
    const check = () => {
      if (output.includes('mocks:\n')) resolve(/wsmock listening on (ws:\/\/\S+)/.exec(output)[1]);
    };
    serve.proc.stdout.on('data', check);
    serve.exited.then(({ code, signal }) => reject(new Error(`wsmock serve exited (${signal ?? code}) before listening:\n${output}`)));
  });
  return {
    ...serve,
    url: listening,
    // Disconnecting makes the probe send SIGTERM to serve: its own graceful shutdown.
    async stop() {
      if (serve.proc.connected) serve.proc.disconnect();
      const { code, signal } = await serve.exited;
      if (code !== 0 || !output.includes('SIGTERM: closing connections')) throw new Error(`wsmock serve did not shut down cleanly (${signal ?? `exit ${code}`}):\n${output}`);
    },
  };
}

// name, how to measure, the headline metric, and its target. The round trips also
// have a target on the server's CPU time per message (`cpu`, a ratio).
const SCENARIOS = [
  { name: 'echo', run: (k) => measure.roundtrips(k, 'echo'), metric: 'messages/s', target: { ratioAtLeast: 0.95 }, cpu: { ratioAtMost: 1.05 } },
  // Baseline: the same wsmock echo mock without chaos (not bare ws).
  { name: 'chaos-zero', run: (k) => measure.roundtrips(k, 'chaos-zero'), metric: 'messages/s', target: { ratioAtLeast: 0.95 }, cpu: { ratioAtMost: 1.05 } },
  // Baseline: the same wsmock echo mock without the admin listener; the measured side has it on, unwatched.
  { name: 'admin-idle', run: (k) => measure.roundtrips(k, 'admin-idle'), metric: 'messages/s', target: { ratioAtLeast: 0.95 }, cpu: { ratioAtMost: 1.05 } },
  { name: 'json-matchers', run: (k) => measure.roundtrips(k, 'json-matchers'), metric: 'messages/s', target: { ratioAtLeast: 0.8 }, cpu: { ratioAtMost: 1.05 } },
  { name: 'templated', run: (k) => measure.roundtrips(k, 'templated'), metric: 'messages/s', target: { ratioAtLeast: 0.7 }, cpu: { ratioAtMost: 1.1 } },
  // Both over TLS with the same certificate: wsmock's `tls` vs `ws` on https.createServer.
  { name: 'tls-echo', run: (k) => measure.roundtrips(k, 'tls-echo'), metric: 'messages/s', target: { ratioAtLeast: 0.95 }, cpu: { ratioAtMost: 1.1 } },
  // wsmock does two hops (client ↔ wsmock ↔ upstream) where the baseline does one.
  { name: 'proxy-echo', run: (k) => measure.roundtrips(k, 'proxy-echo'), metric: 'messages/s', target: { ratioAtLeast: 0.8 }, cpu: { ratioAtMost: 2.2 } },
  // Baseline: the same proxy mock without `record` (not bare ws); CPU is wsmock's process only.
  { name: 'recording-overhead', run: (k) => measure.roundtrips(k, 'recording-overhead'), metric: 'messages/s', target: { ratioAtLeast: 0.9 }, cpu: { ratioAtMost: 1.1 } },
  // Baseline: the same wsmock ping → pong mock without a contract (not bare ws); Kraken's ping/pong both ways checked.
  { name: 'asyncapi', run: (k) => measure.roundtrips(k, 'asyncapi'), metric: 'messages/s', target: { ratioAtLeast: 0.8 }, cpu: { ratioAtMost: 1.2 } },
  { name: 'socketio-events', run: (k) => measure.roundtrips(k, 'socketio-events'), metric: 'messages/s', target: { ratioAtLeast: 1.0 }, cpu: { ratioAtMost: 0.95 } },
  { name: 'broadcast', run: (k) => measure.broadcast(k), metric: 'ms to last client', target: { ratioAtMost: 1.2 } },
  // Baseline: a bare node:http server writing the same event to each of its responses.
  { name: 'sse-broadcast', run: (k) => measure.broadcast(k, 'sse-broadcast'), metric: 'ms to last client', target: { ratioAtMost: 1.2 } },
  { name: 'graphql-subscribers', run: (k) => measure['graphql-subscribers'](k), metric: 'ms to last payload', target: { ratioAtMost: 1.0 } },
  // Baseline: the broadcast scenario's plain WebSocket mock (not bare ws) sending the same frames; CPU per delivered message.
  { name: 'pusher-fanout', run: (k) => measure['pusher-fanout'](k), metric: 'ms to last message', target: { ratioAtMost: 1.3 }, cpu: { ratioAtMost: 1.3 } },
  // 1,000 subscribed ActionCable clients (the graphql sizes); baseline: the broadcast of a plain WebSocket mock to as many.
  { name: 'actioncable-fanout', run: (k) => measureFanout(k, { withServer, withLoad, serverCpu, sizes: sizes.graphql, wallNow, median, CPU }), metric: 'ms to last payload', target: { ratioAtMost: 1.3 }, cpu: { ratioAtMost: 1.3 } },
  { name: 'stomp-fanout', run: (k) => measureStompFanout(k, { withServer, withLoad, serverCpu, sizes: sizes.graphql, wallNow, median, CPU }), metric: 'ms to last payload', target: { ratioAtMost: 1.3 }, cpu: { ratioAtMost: 1.3 } },
  // 1,000 SignalR clients past their handshake (the graphql sizes), hub.send to all; baseline: the broadcast of a plain WebSocket mock to as many.
  { name: 'signalr-fanout', run: (k) => measureSignalrFanout(k, { withServer, withLoad, serverCpu, sizes: sizes.graphql, wallNow, median, CPU }), metric: 'ms to last payload', target: { ratioAtMost: 1.3 }, cpu: { ratioAtMost: 1.3 } },
  // Baseline: the `broadcast` scenario's plain WebSocket mock sending the same frames; the CPU ratio is per delivered message.
  { name: 'phoenix-fanout', run: (k) => measurePhoenixFanout(k, { withServer, withLoad, serverCpu, wallNow, quick }), metric: 'ms to last client', target: { ratioAtMost: 1.3 }, cpu: { ratioAtMost: 1.3 } },
  // 1,000 MQTT subscribers, 1,000 QoS 0 publishes from a client; baseline: the aedes broker over WebSocket doing the same.
  { name: 'mqtt-fanout', run: (k) => measureMqttFanout(k, { withServer, withLoad, serverCpu, quick }), metric: 'ms to last delivery', target: { ratioAtMost: 1.0 }, cpu: { ratioAtMost: 1.0 } },
  // A page's socket routed by wsmock/playwright's route() vs the page connecting to mock.url: the extra hop is Playwright's routing.
  { name: 'route', run: (k) => measureRoute(k, { quick }), metric: 'round trips/s', target: { ratioAtLeast: 0.05 } },
  { name: 'idle-memory', run: (k) => measure['idle-memory'](k), metric: 'bytes/connection', target: { ratioAtMost: 1.3 } },
  { name: 'lifecycle', run: (k) => measure.lifecycle(k), metric: 'median ms/cycle', target: { absoluteAtMost: 5 } },
  { name: 'admin-list', run: (k) => measure['admin-list'](k), metric: 'ms per request', target: { absoluteAtMost: 100 }, wsmockOnly: true },
  // A remote handle's waitForMessage (a long poll of the admin API) against a wsmock server in another process: from the client's send to the wait resolving.
  { name: 'remote-wait', run: (k) => measureRemoteWait(k, { withServer, quick, median }), metric: 'p99 ms', target: { absoluteAtMost: 20 }, wsmockOnly: true },
  {
    name: 'soak',
    run: (k) => measure.soak(k),
    metric: 'MB heap growth',
    target: { absoluteAtMost: 20 },
    wsmockOnly: true,
    rounds: 1, // one long run, judged on its own growth: there is nothing to alternate with
    detail: (m) =>
      `heap used ${fmt(m['heap MB start'])} / ${fmt(m['heap MB half'])} / ${fmt(m['heap MB end'])} MB and RSS ${fmt(m['rss MB start'])} / ${fmt(m['rss MB half'])} / ${fmt(m['rss MB end'])} MB ` +
      `after GC at start / half / end; growth from half to end: heap ${fmt(m['MB heap growth'])} MB, RSS ${fmt(m['MB rss growth'])} MB; ` +
      `${fmt(m['round trips/s'])} round trips/s over ${fmt(m.connections)} connections`,
  },
];

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Compares a median (or the ratio of two medians) with its target. */
function judge(t, metric, wsmock, baseline) {
  const ratio = baseline === undefined ? undefined : wsmock / baseline;
  if (t.ratioAtLeast !== undefined) return { ratio, met: ratio >= t.ratioAtLeast, target: `ratio >= ${t.ratioAtLeast}` };
  if (t.ratioAtMost !== undefined) return { ratio, met: ratio <= t.ratioAtMost, target: `ratio <= ${t.ratioAtMost}` };
  return { ratio, met: wsmock <= t.absoluteAtMost, target: `<= ${t.absoluteAtMost} ${metric.split(' ')[0]}` };
}

const only = values.only?.split(',');
const unknown = only?.filter((name) => !SCENARIOS.some((s) => s.name === name)) ?? [];
if (unknown.length) throw new Error(`unknown scenario ${unknown.join(', ')}; the scenarios are ${SCENARIOS.map((s) => s.name).join(', ')}`);
const chosen = SCENARIOS.filter((s) => !only || only.includes(s.name));

// The quick run is CI's smoke check: a scenario that hangs must fail it, not stall it.
let current = 'start-up';
if (quick) {
  setTimeout(() => {
    console.error(`bench --quick: still running "${current}" after 5 minutes; giving up`);
    process.exit(1);
  }, 5 * 60_000).unref();
}

const results = [];
for (const scenario of chosen) {
  current = scenario.name;
  const samples = { wsmock: [], baseline: [] };
  const roundsHere = scenario.rounds ?? rounds;
  for (let round = 0; round < roundsHere; round++) {
    // Alternate the order too, so neither side always runs on a warmer machine.
    const order = scenario.wsmockOnly ? ['wsmock'] : round % 2 === 0 ? ['wsmock', 'baseline'] : ['baseline', 'wsmock'];
    for (const kind of order) samples[kind].push(await scenario.run(kind));
  }
  const metrics = Object.keys(samples.wsmock[0]);
  const medians = (kind) => Object.fromEntries(metrics.map((m) => [m, samples[kind].length ? median(samples[kind].map((s) => s[m])) : undefined]));
  const wsmock = medians('wsmock');
  const baseline = scenario.wsmockOnly ? undefined : medians('baseline');
  const verdict = judge(scenario.target, scenario.metric, wsmock[scenario.metric], baseline?.[scenario.metric]);
  const cpu = scenario.cpu && { metric: CPU, ...judge(scenario.cpu, CPU, wsmock[CPU], baseline[CPU]) };
  results.push({ scenario: scenario.name, metric: scenario.metric, wsmock, baseline, ...verdict, ...(cpu ? { cpu } : {}), rounds: roundsHere, date: new Date().toISOString() });
  process.stderr.write(`done: ${scenario.name}\n`);
}

const fmt = (v) => (v === undefined ? '-' : v >= 100 || Number.isInteger(v) ? Math.round(v).toLocaleString('en-US') : v.toFixed(2));
const yes = (met) => (met ? 'yes' : 'NO');
const rows = results.map((r) => [
  r.scenario,
  r.metric,
  fmt(r.wsmock[r.metric]),
  fmt(r.baseline?.[r.metric]),
  r.ratio === undefined ? '-' : r.ratio.toFixed(3),
  fmt(r.wsmock[CPU]),
  fmt(r.baseline?.[CPU]),
  r.cpu ? r.cpu.ratio.toFixed(3) : '-',
  r.cpu ? `${r.target}, cpu ${r.cpu.target}` : r.target,
  r.cpu ? `${yes(r.met)}, ${yes(r.cpu.met)}` : yes(r.met),
]);
const other = against === undefined ? 'ws' : 'against';
const header = ['scenario', 'metric (median)', 'wsmock', `${other} baseline`, 'ratio', `wsmock ${CPU}`, `${other} ${CPU}`, 'cpu ratio', 'target', 'met'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
console.log(line(header));
for (const row of rows) console.log(line(row));
for (const r of results) {
  const detail = SCENARIOS.find((s) => s.name === r.scenario).detail;
  if (detail) {
    console.log(`  ${r.scenario}: ${detail(r.wsmock)}`);
    continue;
  }
  const extra = Object.keys(r.wsmock).filter((m) => m !== r.metric && m !== CPU);
  const value = (m) => (r.baseline ? `${fmt(r.wsmock[m])} (baseline ${fmt(r.baseline[m])})` : fmt(r.wsmock[m]));
  if (extra.length) console.log(`  ${r.scenario}: ${extra.map((m) => `${m} ${value(m)}`).join(', ')}`);
}

// A full run of some scenarios (--only) replaces their results in latest.json and
// keeps the others' from earlier runs; each result carries the date it was measured.
mkdirSync(new URL('results/', here), { recursive: true });
const out = new URL(quick ? 'results/quick.json' : against !== undefined ? 'results/against.json' : 'results/latest.json', here);
let kept = [];
if (!quick && only && existsSync(out)) {
  const previous = JSON.parse(readFileSync(out, 'utf8'));
  kept = previous.results.filter((r) => !only.includes(r.scenario)).map((r) => ({ ...r, date: r.date ?? previous.date }));
}
const order = (r) => SCENARIOS.findIndex((s) => s.name === r.scenario);
const report = {
  date: new Date().toISOString(),
  mode: quick ? 'quick' : 'full',
  ...(against !== undefined ? { against: values.against } : {}),
  sizes,
  machine: { cpu: os.cpus()[0]?.model, cores: os.cpus().length, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}` },
  results: [...kept, ...results].sort((a, b) => order(a) - order(b)),
};
writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
console.log(`\nwrote ${out.pathname}`);

// Benchmark server process: runs either wsmock or a bare `ws` server doing the
// same job, so the two are measured under the same conditions. Driven over IPC
// by run.mjs: { kind, scenario } in, { url, adminUrl } out; then commands.
import { WebSocketServer } from 'ws';
// `dist`: another build's dist/index.js (run.mjs --against), so two builds of wsmock can be the two sides of a run.
const { kind, scenario, tls, upstream, dist } = JSON.parse(process.argv[2]);
const { createMockServer } = await import(dist ?? '../dist/index.js');
import { graphqlWsBaseline, wsmockGraphQL } from './graphql.mjs';
import { fanoutServer } from './actioncable.mjs';
import { signalrFanoutServer } from './signalr.mjs';
import { isSocketIo, isSse, wsmockBaseline, wsmockMocks } from './scenarios.mjs';
import { sseBaseline } from './sse.mjs';
import { pusherFanoutServer } from './pusher.mjs';
import { phoenixFanoutServer } from './phoenix.mjs';
import { mqttFanoutServer } from './mqtt.mjs';
import { stompFanoutServer } from './stomp.mjs';
import { asyncapiServer } from './asyncapi.mjs';

// `tls` ({ key, cert }): serve wss:// (tls-echo), wsmock and the baseline alike.
let close;
let url;
let adminUrl;
let broadcast;
// graphql-subscribers (and actioncable-fanout): how many subscriptions are running, and a publish of one payload to all.
let graphql;
// phoenix-fanout: a burst of broadcasts.
let phoenix;

if (scenario === 'asyncapi') {
  // Both sides are wsmock: the same ping → pong mock, with and without Kraken's contract checked.
  ({ url, close } = await asyncapiServer(kind, dist));
} else if (scenario === 'mqtt-fanout') {
  // wsmock's MQTT mock, or aedes on a `ws` server; the load drives both the same way.
  ({ url, close } = await mqttFanoutServer(kind, createMockServer));
} else if (scenario === 'phoenix-fanout') {
  const server = await createMockServer({ port: 0 });
  phoenix = phoenixFanoutServer(server, kind);
  url = phoenix.url;
  close = () => server.close();
} else if (scenario === 'graphql-subscribers') {
  if (kind === 'wsmock') {
    const server = await createMockServer({ port: 0 });
    graphql = wsmockGraphQL(server);
    close = () => server.close();
  } else {
    graphql = await graphqlWsBaseline();
    close = graphql.close;
  }
  url = graphql.url;
} else if (scenario === 'pusher-fanout') {
  // Driven by the same `subscribers` and `publish` commands as graphql-subscribers; both sides are wsmock.
  const server = await createMockServer({ port: 0 });
  graphql = pusherFanoutServer(kind, server);
  close = () => server.close();
  url = graphql.url;
} else if (scenario === 'stomp-fanout') {
  // Both sides are wsmock: a STOMP mock, and the plain WebSocket mock it is measured against.
  const server = await createMockServer({ port: 0 });
  graphql = stompFanoutServer(server, kind);
  url = graphql.url;
  close = () => server.close();
} else if (scenario === 'actioncable-fanout') {
  // Both sides are wsmock: an ActionCable mock, and the plain WebSocket mock it is measured against.
  const server = await createMockServer({ port: 0 });
  graphql = fanoutServer(server, kind);
  url = graphql.url;
  close = () => server.close();
} else if (scenario === 'signalr-fanout') {
  // Both sides are wsmock: a SignalR hub mock, and the plain WebSocket mock it is measured against.
  const server = await createMockServer({ port: 0 });
  graphql = signalrFanoutServer(server, kind);
  url = graphql.url;
  close = () => server.close();
} else if (kind === 'wsmock' || wsmockBaseline(scenario)) {
  // admin-idle: the admin listener on the measured side only (its baseline is the same echo without it).
  const admin = scenario === 'admin-list' || scenario === 'remote-wait' || (scenario === 'admin-idle' && kind === 'wsmock');
  const server = await createMockServer({ port: 0, admin: admin ? true : undefined, ...(tls ? { tls } : {}) });
  const define = { socketio: (config) => server.socketio(config), sse: (config) => server.sse(config) };
  const mocks = wsmockMocks(kind === 'wsmock' ? scenario : wsmockBaseline(scenario), { upstream }).map(({ kind: mockKind, ...config }) => (define[mockKind] ?? ((c) => server.websocket(c)))(config));
  const feed = mocks[0];
  url = isSocketIo(scenario) ? server.url : isSse(scenario) ? feed.httpUrl : feed.url;
  adminUrl = server.adminUrl;
  broadcast = (text) => feed.broadcast(text);
  close = () => server.close();
} else if (isSse(scenario)) {
  // A bare node:http server writing the same event text to each response in a loop.
  const baseline = await sseBaseline();
  ({ url, broadcast, close } = baseline);
} else if (isSocketIo(scenario)) {
  // The real socket.io server (a dev dependency of the bench only), acking each `msg` with its payload.
  const { createServer } = await import('node:http');
  const { Server } = await import('socket.io');
  const httpServer = createServer();
  const io = new Server(httpServer);
  io.on('connection', (socket) => socket.on('msg', (payload, ack) => ack(payload)));
  await new Promise((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${httpServer.address().port}`;
  close = () => new Promise((resolve) => io.close(() => resolve()));
} else {
  // The physical limit: ws with an echo handler, nothing else.
  // With `tls`, the same `ws` server on an https.createServer with the same certificate.
  const https = tls ? (await import('node:https')).createServer({ key: tls.key, cert: tls.cert }) : undefined;
  const wss = new WebSocketServer({ ...(https ? { server: https } : { port: 0, host: '127.0.0.1' }), perMessageDeflate: false, clientTracking: true, maxPayload: 1024 * 1024 });
  if (https) await new Promise((resolve) => https.listen(0, '127.0.0.1', resolve));
  else await new Promise((resolve) => wss.once('listening', resolve));
  wss.on('connection', (ws) => {
    ws.on('message', (data, isBinary) => {
      if (scenario !== 'broadcast' && scenario !== 'idle-memory') ws.send(data, { binary: isBinary });
    });
  });
  url = `${https ? 'wss' : 'ws'}://127.0.0.1:${(https ?? wss).address().port}/feed`;
  broadcast = (text) => {
    let n = 0;
    for (const client of wss.clients) {
      client.send(text);
      n++;
    }
    return n;
  };
  close = () => new Promise((resolve) => {
    for (const client of wss.clients) client.terminate();
    wss.close(() => (https ? https.close(resolve) : resolve()));
  });
}

process.on('message', async (command) => {
  switch (command.type) {
    case 'broadcast':
      process.send({ type: 'broadcast', recipients: broadcast(command.text) });
      break;
    case 'phoenix-burst':
      process.send({ type: 'phoenix-burst', recipients: phoenix.burst(command.count) });
      break;
    case 'subscribers':
      process.send({ type: 'subscribers', count: graphql.subscribers() });
      break;
    case 'publish': {
      // `count` payloads, one after the other, as a test pushing updates would.
      let recipients = 0;
      for (let i = 0; i < command.count; i++) recipients = graphql.publish(command.from + i);
      process.send({ type: 'published', recipients });
      break;
    }
    case 'cpu':
      // User + system CPU of this process so far, in microseconds: run.mjs reads it
      // when the load starts and when it ends, and divides the difference by the messages.
      process.send({ type: 'cpu', usage: process.cpuUsage() });
      break;
    case 'memory':
      globalThis.gc?.();
      globalThis.gc?.();
      {
        const { rss, heapUsed } = process.memoryUsage();
        process.send({ type: 'memory', rss, heapUsed });
      }
      break;
    case 'close':
      await close();
      process.send({ type: 'closed' });
      process.disconnect();
      break;
  }
});
globalThis.gc?.();
process.send({ type: 'ready', url, adminUrl, rss: process.memoryUsage().rss });

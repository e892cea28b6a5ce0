// Load generator process: the same client load against whichever server
// run.mjs points it at. Separate from the servers so the client side never
// competes unnoticed with the server inside one event loop.
import { createClient } from 'graphql-ws';
import { io } from 'socket.io-client';
import WebSocket from 'ws';
import { SUBSCRIPTION } from './graphql.mjs';
import { armFanout, fanoutClients } from './actioncable.mjs';
import { armStomp, stompClients } from './stomp.mjs';
import { isSocketIo, loadMessage } from './scenarios.mjs';
import { armStreams, dropStreams, holdStreams } from './sse.mjs';
import { armPusherClients, subscribePusherClients } from './pusher.mjs';
import { asyncapiPing } from './asyncapi.mjs';
import { phoenixArm, phoenixJoin } from './phoenix.mjs';
import { mqttArm, mqttDrop, mqttPublish, mqttSubscribe } from './mqtt.mjs';
import { signalrClients } from './signalr.mjs';

const wallNow = () => performance.timeOrigin + performance.now();
let clients = [];
let streams = [];
let pusherClients = [];
// actioncable-fanout's clients.
let cable = [];
// mqtt-fanout's subscribers and publisher.
let mqtt;
// stomp-fanout's clients.
let stomp = [];
// signalr-fanout's clients.
let signalr = [];

async function openClients(url, count, batch = 250, ca = undefined) {
  const opened = [];
  for (let i = 0; i < count; i += batch) {
    const group = [];
    for (let j = i; j < Math.min(count, i + batch); j++) {
      group.push(
        new Promise((resolve, reject) => {
          const ws = new WebSocket(url, { perMessageDeflate: false, ...(ca ? { ca } : {}) });
          ws.once('open', () => resolve(ws));
          ws.once('error', reject);
        }),
      );
    }
    opened.push(...(await Promise.all(group)));
  }
  return opened;
}

/** socket.io-client sockets over WebSocket only, as the scenario specifies. */
async function openSocketIoClients(url, count) {
  return Promise.all(
    Array.from({ length: count }, () => {
      const socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false });
      return new Promise((resolve, reject) => {
        socket.once('connect', () => resolve(socket));
        socket.once('connect_error', reject);
      });
    }),
  );
}

/** A client that sends `message` and calls back with the reply: a WebSocket frame, or a Socket.IO event's ack. */
function sender(client, scenario) {
  if (isSocketIo(scenario)) return (message, onReply) => client.emit('msg', message, onReply);
  const waiting = [];
  client.on('message', () => waiting.shift()());
  return (message, onReply) => {
    waiting.push(onReply);
    client.send(message);
  };
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/**
 * Each client keeps `inFlight` messages outstanding until it has had `perClient`
 * replies. The clients connect first and report `connected`; the timed load starts
 * on `go`, so run.mjs can read the server's CPU clock exactly at both ends.
 */
async function roundTrips({ url, clients: count, inFlight, perClient, scenario, ca }) {
  clients = isSocketIo(scenario) ? await openSocketIoClients(url, count) : await openClients(url, count, 250, ca);
  process.send({ type: 'connected' });
  await nextCommand('go');
  const total = count * perClient;
  const latencies = new Float64Array(total);
  let done = 0;
  let seq = 0;
  const started = performance.now();
  await new Promise((resolve) => {
    for (const client of clients) {
      const send = sender(client, scenario);
      let sent = 0;
      const sendOne = () => {
        if (sent >= perClient) return;
        sent++;
        const at = performance.now();
        send(scenario === 'asyncapi' ? asyncapiPing(seq++) : loadMessage(scenario, seq++), () => {
          latencies[done++] = performance.now() - at;
          if (done === total) resolve();
          else sendOne();
        });
      };
      for (let i = 0; i < inFlight; i++) sendOne();
    }
  });
  const elapsed = performance.now() - started;
  const sorted = Array.from(latencies).sort((a, b) => a - b);
  return { messages: total, messagesPerSecond: (total / elapsed) * 1000, p50: percentile(sorted, 50), p99: percentile(sorted, 99), elapsedMs: elapsed };
}

/** `n` echo round trips on one connection, `inFlight` outstanding; every reply must be the text sent. */
function echoBurst(ws, n, inFlight, nextSeq) {
  return new Promise((resolve, reject) => {
    const expected = [];
    let sent = 0;
    let received = 0;
    const sendOne = () => {
      const text = loadMessage('echo', nextSeq());
      expected.push(text);
      sent++;
      ws.send(text);
    };
    const onMessage = (data) => {
      const want = expected.shift();
      if (data.toString() !== want) return fail(new Error(`soak: expected the echo of "${want}", got "${data.toString().slice(0, 80)}"`));
      if (++received === n) {
        ws.off('message', onMessage).off('close', onClose);
        resolve();
      } else if (sent < n) sendOne();
    };
    const onClose = (code) => fail(new Error(`soak: the server closed a connection (${code}) after ${received} of ${n} round trips`));
    const fail = (err) => {
      ws.off('message', onMessage).off('close', onClose);
      reject(err);
    };
    ws.on('message', onMessage).on('close', onClose);
    for (let i = 0; i < Math.min(inFlight, n); i++) sendOne();
  });
}

/** Closes a connection with a close handshake and waits until it is closed. */
function closeCleanly(ws) {
  return new Promise((resolve) => {
    ws.once('close', resolve);
    ws.close(1000);
  });
}

/**
 * The soak: `clients` clients, each doing `perClient` echo round trips and
 * closing its connection for a new one every `reconnectEvery` frames on it
 * (frames both ways: reconnectEvery / 2 round trips). First every client opens a
 * warm-up connection, does `warmup` round trips and closes it, then opens its
 * first measured connection and the load reports `soak-ready`. On `go` every
 * client runs to half its round trips and the load reports `soak-half` (connections
 * open, nothing in flight); on the next `go` it runs to the end and reports
 * `soak-end`. A reconnect due at the halfway pause happens after it, so the halfway
 * and end figures see the same state: every client's connection open and full.
 */
async function soak({ url, clients: count, perClient, reconnectEvery, inFlight, warmup }) {
  const perConnection = reconnectEvery / 2;
  let seq = 0;
  const nextSeq = () => seq++;
  let opened = 0;
  const open = async () => {
    const [ws] = await openClients(url, 1);
    opened++;
    return ws;
  };
  const states = Array.from({ length: count }, () => ({ ws: null, done: 0, onConnection: 0 }));
  await Promise.all(
    states.map(async (state) => {
      const ws = await open();
      await echoBurst(ws, warmup, inFlight, nextSeq);
      await closeCleanly(ws);
      state.ws = await open();
    }),
  );
  clients = states.map((s) => s.ws);
  const drive = async (state, upTo) => {
    while (state.done < upTo) {
      if (state.onConnection >= perConnection) {
        await closeCleanly(state.ws);
        state.ws = await open();
        state.onConnection = 0;
      }
      const n = Math.min(upTo - state.done, perConnection - state.onConnection);
      await echoBurst(state.ws, n, inFlight, nextSeq);
      state.done += n;
      state.onConnection += n;
    }
  };
  const runTo = async (upTo) => {
    const started = performance.now();
    await Promise.all(states.map((state) => drive(state, upTo)));
    clients = states.map((s) => s.ws);
    return performance.now() - started;
  };
  process.send({ type: 'soak-ready' });
  await nextCommand('go');
  let elapsed = await runTo(perClient / 2);
  process.send({ type: 'soak-half' });
  await nextCommand('go');
  elapsed += await runTo(perClient);
  return { roundTrips: states.reduce((sum, s) => sum + s.done, 0), connectionsOpened: opened, elapsedMs: elapsed };
}

/**
 * graphql-subscribers: `count` graphql-ws clients, each subscribed once to
 * `subscription OnTick { tick }`. Every client counts its results and keeps
 * the last tick, so `graphql-arm` can tell when all have a given payload.
 */
const subscribers = [];
async function subscribeAll({ url, clients: count }) {
  for (let i = 0; i < count; i++) {
    const client = createClient({ url, webSocketImpl: WebSocket, retryAttempts: 0, lazy: false });
    const state = { client, results: 0, last: undefined, failed: undefined, onResult: undefined };
    client.subscribe(
      { query: SUBSCRIPTION },
      {
        next: (result) => {
          state.results++;
          state.last = result.data?.tick;
          state.onResult?.();
        },
        error: (err) => (state.failed = err),
        complete: () => {},
      },
    );
    subscribers.push(state);
  }
}

/**
 * Reports the wall-clock time when every subscriber has had the result with
 * tick `last`, its `total`th: one missed or out of order fails the run.
 */
function armSubscribers(last, total) {
  let waiting = subscribers.length;
  for (const state of subscribers) {
    state.onResult = () => {
      if (state.last !== last) return;
      state.onResult = undefined;
      if (state.results !== total) process.send({ type: 'error', message: `a subscriber had tick ${last} as its result ${state.results}, not ${total}` });
      else if (--waiting === 0) process.send({ type: 'all-received', at: wallNow() });
    };
  }
  const failed = subscribers.find((s) => s.failed);
  if (failed) throw new Error(`a subscriber failed: ${JSON.stringify(failed.failed)}`);
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
      case 'soak':
        process.send({ type: 'soak-end', result: await soak(command) });
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
      case 'phoenix-join':
        clients = await openClients(command.url, command.clients);
        await phoenixJoin(clients, command.phoenix);
        process.send({ type: 'holding', clients: clients.length });
        break;
      case 'phoenix-arm':
        phoenixArm(clients, command.count, wallNow, (at) => process.send({ type: 'all-received', at }));
        process.send({ type: 'armed' });
        break;
      case 'sse-hold':
        streams = await holdStreams(command.url, command.clients);
        process.send({ type: 'holding', clients: streams.length });
        break;
      case 'sse-arm':
        armStreams(streams, wallNow, (at) => process.send({ type: 'all-received', at }));
        process.send({ type: 'armed' });
        break;
      case 'graphql-subscribe':
        await subscribeAll(command);
        process.send({ type: 'subscribing' });
        break;
      case 'graphql-arm':
        armSubscribers(command.last, command.total);
        process.send({ type: 'armed' });
        break;
      case 'pusher-subscribe':
        pusherClients = await subscribePusherClients(command);
        process.send({ type: 'subscribing' });
        break;
      case 'pusher-arm':
        armPusherClients(pusherClients, command, wallNow, (at) => process.send({ type: 'all-received', at }), (message) => process.send({ type: 'error', message }));
        process.send({ type: 'armed' });
        break;
      case 'stomp-subscribe':
        stomp = await stompClients(WebSocket, command.url, command.clients, command.subscribe);
        process.send({ type: 'stomp-subscribed' });
        break;
      case 'stomp-arm':
        armStomp(stomp, command.last, command.total, wallNow, (at) => process.send({ type: 'all-received', at }), (message) => process.send({ type: 'error', message }));
        process.send({ type: 'armed' });
        break;
      case 'cable-subscribe':
        cable = await fanoutClients(WebSocket, command.url, command.clients, command.subscribe);
        process.send({ type: 'cable-subscribed' });
        break;
      case 'cable-arm':
        armFanout(cable, command.last, command.total, wallNow, (at) => process.send({ type: 'all-received', at }), (message) => process.send({ type: 'error', message }));
        process.send({ type: 'armed' });
        break;
      case 'mqtt-subscribe':
        mqtt = await mqttSubscribe(command);
        process.send({ type: 'mqtt-subscribed' });
        break;
      case 'mqtt-arm':
        mqttArm(mqtt, command.count, wallNow, (at) => process.send({ type: 'all-received', at }), (message) => process.send({ type: 'error', message }));
        process.send({ type: 'armed' });
        break;
      case 'mqtt-publish': {
        const started = wallNow();
        mqttPublish(mqtt, command.count);
        process.send({ type: 'mqtt-published', started });
        break;
      }
      case 'signalr-connect':
        signalr = await signalrClients(WebSocket, command.url, command.clients, command.handshake);
        process.send({ type: 'signalr-connected' });
        break;
      case 'signalr-arm':
        armFanout(signalr, command.last, command.total, wallNow, (at) => process.send({ type: 'all-received', at }), (message) => process.send({ type: 'error', message }));
        process.send({ type: 'armed' });
        break;
      case 'close':
        mqttDrop(mqtt);
        for (const { ws } of signalr.splice(0)) ws.terminate();
        for (const state of pusherClients.splice(0)) state.ws.terminate();
        await Promise.all(subscribers.splice(0).map((s) => s.client.dispose()));
        for (const client of clients) (client.terminate ? client.terminate() : client.disconnect());
        for (const { ws } of cable.splice(0)) ws.terminate();
        for (const { ws } of stomp.splice(0)) ws.terminate();
        clients = [];
        dropStreams(streams.splice(0));
        process.send({ type: 'closed' });
        process.disconnect();
        break;
    }
  } catch (err) {
    process.send({ type: 'error', message: err.stack ?? String(err) });
  }
});
process.send({ type: 'ready' });

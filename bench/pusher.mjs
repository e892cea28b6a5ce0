// The `pusher-fanout` scenario: 1,000 clients subscribed to one Pusher channel,
// 100 events triggered from the test (`mock.trigger`), the time until every
// client has the last one and the server's CPU per delivered message. The
// baseline is the `broadcast` scenario's plain WebSocket mock (`mock.broadcast`)
// sending the same frames: what the Pusher kit adds to a fan-out. soketi, the
// Pusher server that runs on Node, is not in the package registry this bench
// installs from (a lookup answers 404), so no real server is measured here.
import WebSocket from 'ws';

const CHANNEL = 'ticks';
/** The frame a subscriber gets for tick `n`, as the kit writes it: `data` JSON-encoded. */
const frame = (n) => JSON.stringify({ event: 'tick', channel: CHANNEL, data: JSON.stringify({ n }) });

/** The server side: a Pusher mock (wsmock) or a plain WebSocket mock broadcasting the same frames (baseline). */
export function pusherFanoutServer(kind, server) {
  if (kind === 'wsmock') {
    const app = server.pusher({ key: 'bench' });
    return {
      url: app.url,
      subscribers: () => app.channels[CHANNEL] ?? 0,
      publish: (n) => app.trigger(CHANNEL, 'tick', { n }),
    };
  }
  const feed = server.websocket('/feed', { echoMode: false });
  return {
    url: feed.url,
    subscribers: () => feed.connections.length,
    publish: (n) => feed.broadcast(frame(n)),
  };
}

/**
 * The load side: `count` raw WebSocket clients; on a Pusher app each reads
 * connection_established and subscribes to the channel. Every client counts
 * its ticks and keeps the last one, so `arm` can tell when all have a given tick.
 */
export async function subscribePusherClients({ url, clients: count, pusher }) {
  const states = [];
  for (let i = 0; i < count; i += 250) {
    const batch = [];
    for (let j = i; j < Math.min(count, i + 250); j++) {
      batch.push(
        new Promise((resolve, reject) => {
          const ws = new WebSocket(pusher ? `${url}?protocol=7&client=js&version=8.6.0` : url, { perMessageDeflate: false });
          const state = { ws, results: 0, last: undefined, onResult: undefined };
          ws.on('message', (data) => {
            const message = JSON.parse(data.toString());
            if (message.event === 'pusher:connection_established') ws.send(JSON.stringify({ event: 'pusher:subscribe', data: { channel: CHANNEL } }));
            else if (message.event === 'pusher_internal:subscription_succeeded') resolve(state);
            else if (message.event === 'tick') {
              state.results++;
              state.last = JSON.parse(message.data).n;
              state.onResult?.();
            }
          });
          ws.once('open', () => !pusher && resolve(state));
          ws.once('error', reject);
        }),
      );
    }
    states.push(...(await Promise.all(batch)));
  }
  return states;
}

/** Calls `done(at)` with the wall-clock time once every client has had tick `last` as its `total`th; `fail` on one out of order. */
export function armPusherClients(states, { last, total }, now, done, fail) {
  let waiting = states.length;
  for (const state of states) {
    state.onResult = () => {
      if (state.last !== last) return;
      state.onResult = undefined;
      if (state.results !== total) fail(`a client had tick ${last} as its message ${state.results}, not ${total}`);
      else if (--waiting === 0) done(now());
    };
  }
}

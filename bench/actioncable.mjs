// The `actioncable-fanout` scenario: 1,000 clients subscribed to one
// ActionCable stream, 100 broadcasts from the test (`cable.broadcast(stream,
// message)`, in-process), three bursts per round. The baseline is the
// `broadcast` of a plain WebSocket mock (`mock.broadcast(text)`) to as many
// clients, each broadcast the same frame a test would write itself: the
// ratio is what the kit's subscriptions and streams cost a delivered message.
// The load speaks the protocol with raw `ws` clients (welcome, subscribe,
// confirm_subscription), as the real client does on the wire.

export const IDENTIFIER = JSON.stringify({ channel: 'TickChannel' });
const PROTOCOLS = ['actioncable-v1-json', 'actioncable-unsupported'];

/** Server side: what `publish(tick)` broadcasts to, on an ActionCable mock (wsmock) or a plain WebSocket mock (baseline). */
export function fanoutServer(server, kind) {
  if (kind === 'wsmock') {
    const cable = server.actioncable('/cable', { channels: { TickChannel: { streamFrom: 'ticks' } } });
    return { url: cable.url, publish: (tick) => cable.broadcast('ticks', { tick }) };
  }
  const mock = server.websocket({ path: '/feed', echoMode: false });
  return { url: mock.url, publish: (tick) => mock.broadcast(JSON.stringify({ identifier: IDENTIFIER, message: { tick } })) };
}

/**
 * Load side: `count` clients; with `subscribe`, each past its welcome and
 * subscribed (confirmed). Every client counts the broadcasts it gets and keeps
 * the last tick (pings and the protocol's other frames are not counted).
 */
export async function fanoutClients(WebSocket, url, count, subscribe, batch = 250) {
  const states = [];
  for (let i = 0; i < count; i += batch) {
    const group = [];
    for (let j = i; j < Math.min(count, i + batch); j++) {
      group.push(
        new Promise((resolve, reject) => {
          const ws = new WebSocket(url, subscribe ? PROTOCOLS : [], { perMessageDeflate: false });
          const state = { ws, results: 0, last: undefined, onResult: undefined };
          ws.once('error', reject);
          ws.on('message', (data) => {
            const frame = JSON.parse(String(data));
            if (frame.type === 'welcome') ws.send(JSON.stringify({ command: 'subscribe', identifier: IDENTIFIER }));
            else if (frame.type === 'confirm_subscription') resolve(state);
            else if (frame.message?.tick !== undefined) {
              state.results++;
              state.last = frame.message.tick;
              state.onResult?.();
            }
          });
          if (!subscribe) ws.once('open', () => resolve(state));
        }),
      );
    }
    states.push(...(await Promise.all(group)));
  }
  return states;
}

/** Calls `report(at)` when every client has had tick `last` as its `total`th broadcast; one missed or out of order fails. */
export function armFanout(states, last, total, now, report, fail) {
  let waiting = states.length;
  for (const state of states) {
    state.onResult = () => {
      if (state.last !== last) return;
      state.onResult = undefined;
      if (state.results !== total) fail(`a client had tick ${last} as its broadcast ${state.results}, not ${total}`);
      else if (--waiting === 0) report(now());
    };
  }
}

/** One measurement: ms until the last client has the last of `payloads` broadcasts, and server CPU µs per delivered message. */
export async function measureFanout(kind, { withServer, withLoad, serverCpu, sizes, wallNow, median, CPU }) {
  const { subscribers, payloads } = sizes;
  return withServer(kind, 'actioncable-fanout', (server, { url }) =>
    withLoad(async (load) => {
      load.send({ type: 'cable-subscribe', url, clients: subscribers, subscribe: kind === 'wsmock' });
      await load.next('cable-subscribed');
      const times = [];
      const cpu = [];
      for (let burst = 0; burst < 3; burst++) {
        const from = burst * payloads;
        load.send({ type: 'cable-arm', last: from + payloads - 1, total: from + payloads });
        await load.next('armed');
        const before = await serverCpu(server);
        const started = wallNow();
        server.send({ type: 'publish', from, count: payloads });
        const { recipients } = await server.next('published');
        if (recipients !== subscribers) throw new Error(`a broadcast reached ${recipients} of ${subscribers} subscribers`);
        const { at } = await load.next('all-received');
        times.push(at - started);
        const after = await serverCpu(server);
        cpu.push(after.user - before.user + (after.system - before.system));
      }
      return { 'ms to last payload': median(times), [CPU]: median(cpu) / (subscribers * payloads) };
    }),
  );
}

// The `stomp-fanout` scenario: 1,000 STOMP clients subscribed to one topic,
// 100 publishes from the test (`stomp.publish('/topic/ticks', { tick })`,
// in-process), three bursts per round. A publish is one message (one
// `message-id`); every client subscribes as `sub-0`, as @stomp/stompjs names a
// client's first subscription, so they share its frame. The baseline is the `broadcast` of a plain WebSocket mock
// (`mock.broadcast(text)`) of one MESSAGE frame of the same size to as many
// clients: the ratio is what subscriptions and per-recipient frames cost a
// delivered message. The load speaks STOMP with raw `ws` clients (CONNECT,
// SUBSCRIBE with a receipt), as @stomp/stompjs does on the wire.

const PROTOCOLS = ['v12.stomp', 'v11.stomp', 'v10.stomp'];
const TOPIC = '/topic/ticks';

/** The MESSAGE the baseline broadcasts for `tick`: the kit's frame, with one subscription and message-id for all. */
function baselineFrame(tick) {
  const body = JSON.stringify({ tick });
  return `MESSAGE\nsubscription:sub-0\nmessage-id:conn-1-${tick}\ndestination:${TOPIC}\ncontent-type:application/json\ncontent-length:${Buffer.byteLength(body)}\n\n${body}\0`;
}

/** Server side: what `publish(tick)` sends to, on a STOMP mock (wsmock) or a plain WebSocket mock (baseline). */
export function stompFanoutServer(server, kind) {
  if (kind === 'wsmock') {
    const stomp = server.stomp('/ws', { heartBeat: { outgoing: 0, incoming: 0 } });
    return { url: stomp.url, publish: (tick) => stomp.publish(TOPIC, { tick }) };
  }
  const mock = server.websocket({ path: '/feed', echoMode: false });
  return { url: mock.url, publish: (tick) => mock.broadcast(baselineFrame(tick)) };
}

/** The tick of a MESSAGE frame's JSON body, or undefined for another frame. */
function tickOf(text) {
  if (!text.startsWith('MESSAGE\n')) return undefined;
  const body = text.slice(text.indexOf('\n\n') + 2, text.lastIndexOf('\0'));
  return JSON.parse(body).tick;
}

/**
 * Load side: `count` clients; with `subscribe`, each CONNECTed and
 * SUBSCRIBEd to the topic (resolved on the SUBSCRIBE's RECEIPT). Every
 * client counts the MESSAGEs it gets and keeps the last tick.
 */
export async function stompClients(WebSocket, url, count, subscribe, batch = 250) {
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
            const text = String(data);
            if (text.startsWith('CONNECTED\n')) ws.send(`SUBSCRIBE\nid:sub-0\ndestination:${TOPIC}\nreceipt:subscribed\n\n\0`);
            else if (text.startsWith('RECEIPT\n')) resolve(state);
            else {
              const tick = tickOf(text);
              if (tick === undefined) return;
              state.results++;
              state.last = tick;
              state.onResult?.();
            }
          });
          ws.once('open', () => (subscribe ? ws.send('CONNECT\naccept-version:1.2,1.1,1.0\nheart-beat:0,0\n\n\0') : resolve(state)));
        }),
      );
    }
    states.push(...(await Promise.all(group)));
  }
  return states;
}

/** Calls `report(at)` when every client has had tick `last` as its `total`th MESSAGE; one missed or out of order fails. */
export function armStomp(states, last, total, now, report, fail) {
  let waiting = states.length;
  for (const state of states) {
    state.onResult = () => {
      if (state.last !== last) return;
      state.onResult = undefined;
      if (state.results !== total) fail(`a client had tick ${last} as its MESSAGE ${state.results}, not ${total}`);
      else if (--waiting === 0) report(now());
    };
  }
}

/** One measurement: ms until the last client has the last of `payloads` publishes, and server CPU µs per delivered message. */
export async function measureStompFanout(kind, { withServer, withLoad, serverCpu, sizes, wallNow, median, CPU }) {
  const { subscribers, payloads } = sizes;
  return withServer(kind, 'stomp-fanout', (server, { url }) =>
    withLoad(async (load) => {
      load.send({ type: 'stomp-subscribe', url, clients: subscribers, subscribe: kind === 'wsmock' });
      await load.next('stomp-subscribed');
      const times = [];
      const cpu = [];
      for (let burst = 0; burst < 3; burst++) {
        const from = burst * payloads;
        load.send({ type: 'stomp-arm', last: from + payloads - 1, total: from + payloads });
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
      return { 'ms to last payload': median(times), [CPU]: median(cpu) / (subscribers * payloads) };
    }),
  );
}

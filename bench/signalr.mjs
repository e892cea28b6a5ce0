// The `signalr-fanout` scenario: 1,000 clients connected to a SignalR hub
// mock (JSON hub protocol, handshake done), 100 `hub.send('Tick', n)` from
// the test (Clients.All.SendAsync, in-process), three bursts per round. The
// baseline is the `broadcast` of a plain WebSocket mock to as many clients,
// each broadcast the same frame the hub writes: the ratio is what the kit
// costs a delivered message. The load speaks the protocol with raw `ws`
// clients (handshake, then Invocation messages), as the real client does on
// the wire after it skipped negotiation. No ASP.NET Core server is measured:
// it does not run on Node.

const RS = '\u001e';
/** The frame every client gets for tick `n`, as the hub writes it. */
const frame = (n) => `{"type":1,"target":"Tick","arguments":[${n}]}${RS}`;

/** Server side: what `publish(tick)` sends to every client, on a SignalR mock (wsmock) or a plain WebSocket mock (baseline). */
export function signalrFanoutServer(server, kind) {
  if (kind === 'wsmock') {
    const hub = server.signalr('/hub', { pingInterval: 0 });
    return { url: hub.url, publish: (tick) => hub.send('Tick', tick) };
  }
  const mock = server.websocket({ path: '/feed', echoMode: false });
  return { url: mock.url, publish: (tick) => mock.broadcast(frame(tick)) };
}

/**
 * Load side: `count` clients; with `handshake`, each past its JSON hub
 * handshake. Every client counts the Tick invocations it gets and keeps the
 * last tick.
 */
export async function signalrClients(WebSocket, url, count, handshake, batch = 250) {
  const states = [];
  for (let i = 0; i < count; i += batch) {
    const group = [];
    for (let j = i; j < Math.min(count, i + batch); j++) {
      group.push(
        new Promise((resolve, reject) => {
          const ws = new WebSocket(url, { perMessageDeflate: false });
          const state = { ws, results: 0, last: undefined, onResult: undefined };
          ws.once('error', reject);
          ws.once('open', () => (handshake ? ws.send(`{"protocol":"json","version":1}${RS}`) : resolve(state)));
          ws.on('message', (data) => {
            for (const part of String(data).split(RS)) {
              if (part === '') continue;
              const message = JSON.parse(part);
              if (message.type === undefined) resolve(state);
              else if (message.type === 1 && message.target === 'Tick') {
                state.results++;
                state.last = message.arguments[0];
                state.onResult?.();
              }
            }
          });
        }),
      );
    }
    states.push(...(await Promise.all(group)));
  }
  return states;
}

/** One measurement: ms until the last client has the last of `payloads` sends, and server CPU µs per delivered message. */
export async function measureSignalrFanout(kind, { withServer, withLoad, serverCpu, sizes, wallNow, median, CPU }) {
  const { subscribers, payloads } = sizes;
  return withServer(kind, 'signalr-fanout', (server, { url }) =>
    withLoad(async (load) => {
      load.send({ type: 'signalr-connect', url, clients: subscribers, handshake: kind === 'wsmock' });
      await load.next('signalr-connected');
      const times = [];
      const cpu = [];
      for (let burst = 0; burst < 3; burst++) {
        const from = burst * payloads;
        load.send({ type: 'signalr-arm', last: from + payloads - 1, total: from + payloads });
        await load.next('armed');
        const before = await serverCpu(server);
        const started = wallNow();
        server.send({ type: 'publish', from, count: payloads });
        const { recipients } = await server.next('published');
        if (recipients !== subscribers) throw new Error(`a send reached ${recipients} of ${subscribers} clients`);
        const { at } = await load.next('all-received');
        times.push(at - started);
        const after = await serverCpu(server);
        cpu.push(after.user - before.user + (after.system - before.system));
      }
      return { 'ms to last payload': median(times), [CPU]: median(cpu) / (subscribers * payloads) };
    }),
  );
}

// phoenix-fanout: 1,000 clients joined to one Phoenix topic, 100 broadcasts
// from the test (`mock.broadcast(topic, event, payload)`), timed until the last
// client has the last one. The baseline is the `broadcast` scenario's plain
// WebSocket mock sending the same text (the frame a Phoenix broadcast is) to
// as many clients: the ratio is what channels and the serializer cost.
const TOPIC = 'room:bench';

/** The scenario's sizes: full, or `--quick`'s smoke check. */
export function phoenixSizes(quick) {
  return quick ? { clients: 100, broadcasts: 20 } : { clients: 1_000, broadcasts: 100 };
}

/** The frame a broadcast of tick `i` is on the wire (vsn 2.0.0). */
function tickText(i) {
  return JSON.stringify([null, null, TOPIC, 'tick', { i }]);
}

/** Server side: the Phoenix mock, or the plain mock of the baseline; `burst(count)` broadcasts `count` ticks. */
export function phoenixFanoutServer(server, kind) {
  if (kind === 'wsmock') {
    const mock = server.phoenix('/socket');
    return {
      url: `${mock.url}/websocket?vsn=2.0.0`,
      burst(count) {
        let recipients = 0;
        for (let i = 0; i < count; i++) recipients = mock.broadcast(TOPIC, 'tick', { i });
        return recipients;
      },
    };
  }
  const mock = server.websocket({ path: '/feed', echoMode: false });
  return {
    url: mock.url,
    burst(count) {
      let recipients = 0;
      for (let i = 0; i < count; i++) recipients = mock.broadcast(tickText(i));
      return recipients;
    },
  };
}

/** Load side: joins every client to the topic (Phoenix) and waits for each reply; a plain client has nothing to join. */
export async function phoenixJoin(clients, phoenix) {
  if (!phoenix) return;
  await Promise.all(
    clients.map(
      (ws, n) =>
        new Promise((resolve, reject) => {
          ws.once('message', (data) => {
            const [, , , event, payload] = JSON.parse(String(data));
            if (event === 'phx_reply' && payload.status === 'ok') resolve();
            else reject(new Error(`join ${n} answered ${String(data)}`));
          });
          ws.send(JSON.stringify([String(n), String(n), TOPIC, 'phx_join', {}]));
        }),
    ),
  );
}

/** Load side: calls `done(at)` once every client has had `count` more frames. */
export function phoenixArm(clients, count, wallNow, done) {
  let waiting = clients.length;
  for (const ws of clients) {
    let left = count;
    const onMessage = () => {
      if (--left > 0) return;
      ws.off('message', onMessage);
      if (--waiting === 0) done(wallNow());
    };
    ws.on('message', onMessage);
  }
}

/** run.mjs side: one measurement, on `kind`'s server. */
export async function measurePhoenixFanout(kind, { withServer, withLoad, serverCpu, wallNow, quick }) {
  const { clients, broadcasts } = phoenixSizes(quick);
  return withServer(kind, 'phoenix-fanout', (server, { url }) =>
    withLoad(async (load) => {
      load.send({ type: 'phoenix-join', url, clients, phoenix: kind === 'wsmock' });
      await load.next('holding');
      load.send({ type: 'phoenix-arm', count: broadcasts });
      await load.next('armed');
      // A full GC first, on both sides: the burst's CPU is the broadcasts', not the collection of what joining left.
      server.send({ type: 'memory' });
      await server.next('memory');
      const before = await serverCpu(server);
      const started = wallNow();
      server.send({ type: 'phoenix-burst', count: broadcasts });
      const { recipients } = await server.next('phoenix-burst');
      if (recipients !== clients) throw new Error(`a broadcast reached ${recipients} of ${clients} clients`);
      const { at } = await load.next('all-received');
      const after = await serverCpu(server);
      const cpuMicros = after.user - before.user + (after.system - before.system);
      return { 'ms to last client': at - started, 'cpu µs/msg': cpuMicros / (clients * broadcasts) };
    }),
  );
}

// The mocks each scenario runs on wsmock. The bare baseline always echoes.

/** Twenty `json` matchers where only the last one matches the load's messages. */
function jsonMatchers() {
  const matchers = [];
  for (let i = 0; i < 19; i++) {
    matchers.push({ match: { type: 'json', path: '$.type', value: `other-${i}` }, response: { type: 'json', value: { type: 'nope' } } });
  }
  matchers.push({ match: { type: 'json', path: '$.type', value: 'msg' }, response: { type: 'json', value: { type: 'ack' } } });
  return matchers;
}

export function wsmockMocks(scenario, options = {}) {
  switch (scenario) {
    case 'proxy-echo':
      // A proxy mock with nothing to answer: every frame goes to the upstream (a
      // bare ws echo in its own process) and its echo comes back through the
      // outbound phase. The baseline is the load talking to that upstream directly.
      return [{ path: '/feed', proxy: { url: options.upstream } }];
    case 'recording-overhead':
      // The proxy-echo mock recording every frame; its baseline is the same
      // proxy mock without `record` (both forward to a bare ws echo upstream).
      return [{ path: '/feed', proxy: { url: options.upstream }, record: true }];
    case 'echo':
    case 'tls-echo':
    case 'lifecycle':
    // The echo mock with the admin listener on and nobody on its event stream
    // (server.mjs turns the admin on): what the dashboard costs when unwatched.
    case 'admin-idle':
      return [{ path: '/feed' }];
    case 'chaos-zero':
      // Every fault configured, in both directions, each with probability 0:
      // what chaos costs a frame when it never fires (the baseline is the same
      // echo mock without chaos).
      return [
        {
          path: '/feed',
          chaos: { direction: 'both', drop: 0, duplicate: 0, corrupt: 0, truncate: 0, delay: 0, disconnect: { probability: 0, mode: 'abrupt' }, refuse: { probability: 0 } },
        },
      ];
    case 'json-matchers':
      return [{ path: '/feed', matchers: jsonMatchers() }];
    case 'templated':
      return [
        {
          path: '/feed',
          matchers: [
            {
              match: { type: 'json', path: '$.type', value: 'msg' },
              response: { type: 'json', value: { id: '{{uuid}}', at: '{{now}}', echo: '{{message.x}}', type: 'ack' } },
            },
          ],
        },
      ];
    case 'socketio-events':
      // The Socket.IO kit acks every `msg` event with its payload (the baseline's
      // real socket.io server does the same).
      return [{ kind: 'socketio', path: '/socket.io/', events: { msg: (args) => args[0] } }];
    case 'sse-broadcast':
      return [{ kind: 'sse', path: '/feed' }];
    case 'broadcast':
    case 'idle-memory':
    case 'admin-list':
    case 'remote-wait':
      return [{ path: '/feed', echoMode: false }];
    default:
      throw new Error(`unknown scenario ${scenario}`);
  }
}

/** Scenarios whose baseline is wsmock itself (the same mock without the feature measured), not bare `ws`. */
export function wsmockBaseline(scenario) {
  if (scenario === 'chaos-zero' || scenario === 'admin-idle') return 'echo';
  if (scenario === 'recording-overhead') return 'proxy-echo';
  return undefined;
}

/** Scenarios whose wsmock side forwards to a bare `ws` echo upstream run in a process of its own. */
export function needsUpstream(scenario) {
  return scenario === 'proxy-echo' || scenario === 'recording-overhead';
}

/** Scenarios whose load is socket.io-client events with acks instead of WebSocket frames. */
export function isSocketIo(scenario) {
  return scenario === 'socketio-events';
}

/** Scenarios served over TLS (wss://), both servers with the same certificate. */
export function isTls(scenario) {
  return scenario === 'tls-echo';
}

/** Scenarios whose clients hold Server-Sent Events streams (raw HTTP GETs) instead of WebSockets. */
export function isSse(scenario) {
  return scenario === 'sse-broadcast';
}

/** The message the load generator sends for a scenario (same for both servers). */
export function loadMessage(scenario, seq) {
  if (isSocketIo(scenario)) return { x: seq, pad: 'x'.repeat(16) };
  return scenario === 'echo' || scenario === 'chaos-zero' || scenario === 'tls-echo' || scenario === 'admin-idle' || scenario === 'proxy-echo' || scenario === 'recording-overhead' ? `message ${seq} ${'x'.repeat(32)}` : JSON.stringify({ type: 'msg', x: seq, pad: 'x'.repeat(16) });
}

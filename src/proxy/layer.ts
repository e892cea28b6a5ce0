//
// The proxy as a layer of the server (layers/layer.ts): the intercept stage
// first in a proxy mock's pipeline and the forward stage last (stages.ts),
// the upstream dialled while the client's handshake is held (the last step of
// the upgrade's decision chain, once the mock's own rules accepted), and
// UpstreamOwner as its service: `close()` and `reset()` wait until every
// upstream socket is gone.
//
import type { Layer } from '../layers/layer.js';
import type { CompiledMock } from '../mocks/compile.js';
import type { WebSocketMockConfig } from '../mocks/types.js';
import { compileDialer, type UpstreamDialer } from './dialer.js';
import { UpstreamOwner } from './owner.js';
import { proxyForwardStage, proxyInterceptStage } from './stages.js';

/** The proxy layer, with the service the server reaches. */
export interface ProxyLayer extends Layer {
  readonly service: UpstreamOwner;
}

/** Makes the proxy layer. */
export function proxyLayer(): ProxyLayer {
  const service = new UpstreamOwner();
  /** Each proxy mock version's dialer (its `proxy` options, its frame limit). */
  const dialers = new WeakMap<CompiledMock, UpstreamDialer>();
  return {
    name: 'proxy',
    service,
    pipeline: () => ({
      stages: (config, context) => (config.proxy ? { first: proxyInterceptStage(config, context), last: proxyForwardStage(config) } : undefined),
    }),
    compiled(_mockId, config, compiled) {
      const { proxy } = config as WebSocketMockConfig;
      if (proxy) dialers.set(compiled, compileDialer(proxy, { maxPayload: compiled.maxPayload }));
    },
    handshake: {
      at: 'accepted',
      // The upstream's refusal is the client's (its status), an upstream that
      // cannot be reached is 502; the client leaving, the server closing or
      // resetting abandons the upstream.
      decide({ request, compiled, offered }) {
        const dial = dialers.get(compiled);
        if (!dial) return undefined;
        const pending = dial(request, [...offered]);
        service.track(pending.gone);
        const outcome = pending.outcome.then((result) => {
          if ('refusal' in result) return { refuse: { status: result.refusal.status, body: result.refusal.body as Record<string, unknown> } };
          const { ready } = result;
          return { adopt: { protocol: ready.protocol === '' ? undefined : ready.protocol, adopt: ready.adopt, discard: ready.discard } };
        });
        return { hold: { outcome, abort: () => pending.abort(), dropOnReset: true } };
      },
    },
    reset: () => service.drain(),
    close: () => service.drain(),
  };
}

//
// `/chaos` and `/mocks/:id/chaos`: the running chaos, over the in-process API
// (`server.chaos()`, `mock.chaos()`), which validates (a bad body is a 400
// `validation_error` with `details`, and the running chaos stays as it was)
// and applies to the next frame without disconnecting anyone.
//
import { invalidConfig } from '../errors.js';
import type { ChaosOptions } from '../chaos/types.js';
import type { Mock } from '../mocks/Mock.js';
import { readJsonBody } from './body.js';
import { notFound } from './httpErrors.js';
import type { Route, RouteContext } from './router.js';

/** The body: chaos options, or `null` (off). */
async function chaosBody(ctx: RouteContext): Promise<ChaosOptions | null> {
  const body = await readJsonBody(ctx.req, { required: true });
  if (body !== null && (typeof body !== 'object' || Array.isArray(body))) {
    throw invalidConfig('chaos', [{ path: '', message: 'must be chaos options (an object) or null' }]);
  }
  return body as ChaosOptions | null;
}

/** A mock that takes chaos of its own (the WebSocket kind). */
function chaosMock(ctx: RouteContext): Mock & { chaos(options: ChaosOptions | null): void } {
  const mock = ctx.server.mocks.get(ctx.params.id!);
  if (!mock) throw notFound(`No mock with id "${ctx.params.id}".`);
  if (typeof (mock as { chaos?: unknown }).chaos !== 'function') {
    throw invalidConfig('chaos', [{ path: '', message: `mock "${mock.id}" is of type "${mock.type}", which takes the server's chaos only (PUT /chaos)` }]);
  }
  return mock as Mock & { chaos(options: ChaosOptions | null): void };
}

/** The chaos routes. */
export const chaosRoutes: Route[] = [
  {
    method: 'GET',
    path: '/chaos',
    handle: ({ server }) => ({ status: 200, body: { chaos: server.chaosOptions, seed: server.seed } }),
  },
  {
    method: 'PUT',
    path: '/chaos',
    handle: async (ctx) => {
      ctx.server.chaos(await chaosBody(ctx));
      return { status: 200, body: { chaos: ctx.server.chaosOptions, seed: ctx.server.seed } };
    },
  },
  {
    method: 'PUT',
    path: '/mocks/:id/chaos',
    handle: async (ctx) => {
      const mock = chaosMock(ctx);
      mock.chaos(await chaosBody(ctx));
      return { status: 200, body: { id: mock.id, action: 'chaos', mock: mock.toJSON() } };
    },
  },
];

//
// `/mocks…`: mock CRUD over the envelope format of config files. Each route is
// a thin call into the in-process API (`server.websocket()`, `mock.update()`,
// `server.mocks.*`), which validates, closes clients with 1012 and emits events.
//
import { z } from 'zod';
import { WsMockError, WsMockErrorCode, invalidConfig, noRecordings } from '../errors.js';
import { envelopeToConfig, validateEnvelope } from '../mocks/envelope.js';
import type { Mock, MockConfigBase } from '../mocks/Mock.js';
import type { MocksApi } from '../mocks/MockRegistry.js';
import { toConfigIssues } from '../mocks/validate.js';
import type { AdminTarget } from './target.js';
import { asObject, readJsonBody } from './body.js';
import { closeOptions } from './connectionRoutes.js';
import { listedMock } from './eventPayloads.js';
import { notFound } from './httpErrors.js';
import { applyMockPolicy } from './mockPolicy.js';
import type { Route, RouteContext } from './router.js';
import { withKnownKeys } from '../mocks/unknownFields.js';

function findMock(server: AdminTarget, id: string): Mock {
  const mock = server.mocks.get(id);
  if (!mock) {
    const known = server.mocks.list().map((m) => m.id);
    throw notFound(`No mock with id "${id}". Known ids: ${known.join(', ') || '(none)'}.`);
  }
  return mock;
}

/**
 * The schema of a PATCH body for a mock of `type`: any envelope field, each
 * optional; the key named by the type holds any of its fields, and `null`
 * removes an optional one (JSON merge patch). The merged result is validated
 * again by `mock.update()`.
 */
function patchSchema(kinds: MocksApi['kinds'], type: Mock['type']) {
  // From the shape: a kind's schema may carry cross-field checks (proxy, replay), which zod's partial() refuses.
  const fields = z.strictObject(kinds.get(type)!.declarative.shape).partial();
  return z.strictObject({
    id: z.string().optional(),
    name: z.string().nullable().optional(),
    type: z.literal(type, { error: `cannot be changed (the mock is of type "${type}")` }).optional(),
    enabled: z.boolean().optional(),
    [type]: z
      .record(z.string(), z.unknown())
      .check((ctx) => {
        const present = Object.fromEntries(Object.entries(ctx.value).filter(([, v]) => v !== null));
        const result = fields.safeParse(present, withKnownKeys);
        if (!result.success) for (const issue of result.error.issues) ctx.issues.push({ ...issue, input: ctx.value } as never);
      })
      .optional(),
  });
}

function patchToConfig(kinds: MocksApi['kinds'], mock: Mock, body: Record<string, unknown>): Partial<MockConfigBase> {
  const result = patchSchema(kinds, mock.type).safeParse(body, withKnownKeys);
  if (!result.success) throw invalidConfig('mock patch', toConfigIssues(result.error));
  const patch = result.data as { id?: string; name?: string | null; enabled?: boolean } & Record<string, Record<string, unknown> | undefined>;
  if (patch.id !== undefined && patch.id !== mock.id) {
    throw invalidConfig('mock patch', [{ path: 'id', message: `cannot be changed (the mock is "${mock.id}")` }]);
  }
  const config: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(patch[mock.type] ?? {})) config[key] = value === null ? undefined : value;
  if (patch.name !== undefined) config.name = patch.name ?? undefined;
  if (patch.enabled !== undefined) config.enabled = patch.enabled;
  return config as Partial<MockConfigBase>;
}

const IDENTITY = new Set(['id', 'name', 'enabled', 'type']);

/**
 * `mock.update()` reports fields of the flat config (`maxConnections`); over
 * HTTP they live in the envelope (`websocket.maxConnections`).
 */
async function updateAsEnvelope(mock: Mock, config: Partial<MockConfigBase>, replace: boolean): Promise<void> {
  try {
    await mock.update(config, { replace });
  } catch (err) {
    if (!(err instanceof WsMockError) || err.code !== WsMockErrorCode.INVALID_CONFIG || !err.issues) throw err;
    const issues = err.issues.map((issue) => {
      const root = issue.path.split(/[.[]/)[0]!;
      return IDENTITY.has(root) || issue.path === '' ? issue : { ...issue, path: `${mock.type}.${issue.path}` };
    });
    throw invalidConfig(replace ? 'mock envelope' : 'mock patch', issues);
  }
}

async function envelopeBody(ctx: RouteContext) {
  const body = asObject(await readJsonBody(ctx.req, { required: true }));
  // Before validation: validating a replay reads its file.
  await applyMockPolicy(body.websocket, 'websocket', ctx.policy);
  return validateEnvelope(ctx.server.mocks.kinds, body);
}

/** The routes under `/mocks`. */
export const mockRoutes: Route[] = [
  {
    method: 'GET',
    path: '/mocks',
    handle: ({ server }) => {
      const mocks = server.mocks.list().map(listedMock);
      return { status: 200, body: { mocks, total: mocks.length, count: mocks.length } };
    },
  },
  {
    method: 'POST',
    path: '/mocks',
    handle: async (ctx) => {
      const mock = ctx.server.mocks.define(await envelopeBody(ctx));
      return { status: 201, body: { id: mock.id, action: 'created', mock: mock.toJSON() } };
    },
  },
  {
    method: 'DELETE',
    path: '/mocks',
    handle: async ({ server }) => {
      await server.mocks.clear();
      return { status: 204 };
    },
  },
  {
    method: 'GET',
    path: '/mocks/:id',
    handle: ({ server, params }) => ({ status: 200, body: findMock(server, params.id!).toJSON() }),
  },
  {
    method: 'GET',
    path: '/mocks/:id/recording',
    handle: ({ server, params }) => {
      if (!server.recording) throw noRecordings();
      return { status: 200, body: server.recording(params.id!).toJSON() };
    },
  },
  {
    method: 'PUT',
    path: '/mocks/:id',
    handle: async (ctx) => {
      const mock = findMock(ctx.server, ctx.params.id!);
      const envelope = await envelopeBody(ctx);
      if (envelope.type !== mock.type) {
        throw invalidConfig('mock envelope', [{ path: 'type', message: `cannot be changed (the mock is of type "${mock.type}"); remove it and define a new one` }]);
      }
      await updateAsEnvelope(mock, envelopeToConfig(envelope), true);
      return { status: 200, body: { id: mock.id, action: 'updated', mock: mock.toJSON() } };
    },
  },
  {
    method: 'PATCH',
    path: '/mocks/:id',
    handle: async (ctx) => {
      const mock = findMock(ctx.server, ctx.params.id!);
      const body = asObject(await readJsonBody(ctx.req, { required: true }));
      await applyMockPolicy(body[mock.type], mock.type, ctx.policy);
      await updateAsEnvelope(mock, patchToConfig(ctx.server.mocks.kinds, mock, body), false);
      return { status: 200, body: { id: mock.id, action: 'updated', mock: mock.toJSON() } };
    },
  },
  {
    method: 'DELETE',
    path: '/mocks/:id',
    handle: async ({ server, params }) => {
      await server.mocks.remove(findMock(server, params.id!).id);
      return { status: 204 };
    },
  },
  {
    method: 'POST',
    path: '/mocks/:id/toggle',
    handle: async ({ server, params }) => {
      const mock = findMock(server, params.id!);
      if (mock.enabled) await mock.disable();
      else await mock.enable();
      return { status: 200, body: { id: mock.id, action: 'toggled', mock: mock.toJSON() } };
    },
  },
  {
    method: 'GET',
    path: '/mocks/:id/websocket/connections',
    handle: ({ server, params }) => {
      const mock = findMock(server, params.id!);
      const connections = server.connections.list({ mockId: mock.id });
      return { status: 200, body: { connections, count: connections.length, mockId: mock.id } };
    },
  },
  {
    method: 'DELETE',
    path: '/mocks/:id/websocket/connections',
    handle: async (ctx) => {
      const mock = findMock(ctx.server, ctx.params.id!);
      const options = await closeOptions(ctx);
      const ids = ctx.server.connections.list({ mockId: mock.id }).map((c) => c.id);
      // A client may close on its own meanwhile; that one is simply not counted.
      const results = await Promise.allSettled(ids.map((id) => ctx.server.connections.close(id, options)));
      const closed = results.filter((r) => r.status === 'fulfilled').length;
      return { status: 200, body: { message: 'Connections closed', closed, mockId: mock.id } };
    },
  },
];

//
// `/sse/…`: the Server-Sent Events streams, shaped like the `/websocket/…`
// routes and calling the same `server.connections.*` (filtered to `type: sse`)
// and `server.stats()`.
//
import type { Connection } from '../connections/Connection.js';
import type { ConnectionFilter } from '../connections/ConnectionManager.js';
import type { SseEventInit } from '../kits/sse/types.js';
import type { TypeStats } from '../server/stats.js';
import { asObject, readJsonBody } from './body.js';
import { API_CLOSE } from './connectionRoutes.js';
import { notFound, validationError } from './httpErrors.js';
import type { Route, RouteContext } from './router.js';
import type { AdminTarget } from './target.js';

/** `GET /sse/stats`: the SSE totals of `stats().byType`, and the open streams of each SSE mock. */
export interface SseStats extends TypeStats {
  /** Open streams per SSE mock id; every current SSE mock is listed, with 0 when it has none. */
  connectionsByMock: Record<string, number>;
}

function sseStats(server: AdminTarget): SseStats {
  const stats = server.stats();
  const sseMocks = new Set(server.mocks.list().filter((mock) => mock.type === 'sse').map((mock) => mock.id));
  const connectionsByMock = Object.fromEntries(Object.entries(stats.connectionsByMock).filter(([id]) => sseMocks.has(id)));
  return { ...stats.byType.sse!, connectionsByMock };
}

function findStream(ctx: RouteContext): Connection {
  const id = ctx.params.id!;
  const connection = ctx.server.connections.get(id);
  if (!connection || !connection.isOpen || connection.type !== 'sse') {
    throw notFound(`No open SSE stream with id "${id}". It may have closed; list open ones with GET /sse/connections.`);
  }
  return connection;
}

function singleLine(value: unknown, name: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw validationError(name, 'must be a string');
  if (/[\r\n]/.test(value)) throw validationError(name, 'must be one line (no CR or LF)');
  return value;
}

/** `{ data, event?, id?, retry? }` from a request body, validated field by field. */
function eventFrom(body: Record<string, unknown>): SseEventInit {
  if (body.data === undefined) throw validationError('data', 'is required: a string (sent as it is) or any JSON value (sent as JSON)');
  const event = singleLine(body.event, 'event');
  const id = singleLine(body.id, 'id');
  if (id?.includes('\0')) throw validationError('id', 'must not contain a NUL character');
  const { retry } = body;
  if (retry !== undefined && (typeof retry !== 'number' || !Number.isInteger(retry) || retry < 0)) {
    throw validationError('retry', 'must be a whole number of milliseconds >= 0');
  }
  return { data: body.data, ...(event !== undefined ? { event } : {}), ...(id !== undefined ? { id } : {}), ...(retry !== undefined ? { retry } : {}) };
}

function filterFrom(query: URLSearchParams): ConnectionFilter {
  const filter: ConnectionFilter = { type: 'sse' };
  const mockId = query.get('mockId');
  const path = query.get('path');
  if (mockId) filter.mockId = mockId;
  if (path) filter.path = path;
  return filter;
}

/** The routes under `/sse`. */
export const sseRoutes: Route[] = [
  {
    method: 'GET',
    path: '/sse/connections',
    handle: ({ server, query }) => ({
      status: 200,
      body: { connections: server.connections.list(filterFrom(query)), stats: sseStats(server) },
    }),
  },
  {
    method: 'GET',
    path: '/sse/connections/:id',
    handle: (ctx) => ({ status: 200, body: findStream(ctx).info }),
  },
  {
    method: 'DELETE',
    path: '/sse/connections/:id',
    handle: async (ctx) => {
      const id = findStream(ctx).id;
      // SSE has no close code on the wire: the stream ends, recorded as 1000 "closed by API".
      await ctx.server.connections.close(id, API_CLOSE);
      return { status: 200, body: { message: 'Connection closed', connection: id } };
    },
  },
  {
    method: 'POST',
    path: '/sse/connections/:id/send',
    handle: async (ctx) => {
      const event = eventFrom(asObject(await readJsonBody(ctx.req, { required: true })));
      const id = findStream(ctx).id;
      await ctx.server.connections.send(id, event);
      return { status: 200, body: { message: 'Event sent', connection: id, ...(event.event !== undefined ? { event: event.event } : {}) } };
    },
  },
  {
    method: 'GET',
    path: '/sse/stats',
    handle: ({ server }) => ({ status: 200, body: sseStats(server) }),
  },
];

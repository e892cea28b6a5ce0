//
// `/websocket/…`: live connections, push, broadcast and stats, each a call into
// `server.connections.*` or `server.stats()`.
//
import type { CloseOptions, SendData } from '../connections/types.js';
import type { ConnectionFilter } from '../connections/ConnectionManager.js';
import { isBase64 } from '../util/base64.js';
import { CLOSE_CODE_RULE, CLOSE_REASON_RULE, isValidCloseCode, isValidCloseReason } from '../util/closeCodes.js';
import { asObject, readJsonBody } from './body.js';
import { HttpError, notFound, validationError } from './httpErrors.js';
import type { Route, RouteContext } from './router.js';
import { asksToWait, waitForConnections } from './streamRoutes.js';
import { frameSummary } from './eventPayloads.js';
import { orList } from '../util/orList.js';

/** What a client sees when the admin API closes its connection and gives no code. */
export const API_CLOSE = { code: 1000, reason: 'closed by API' } as const;

const SEND_TYPES = ['text', 'binary', 'json'] as const;

/**
 * Turns `{ type, data }` into what `send()` and `broadcast()` take: a string
 * for text, the JSON text for json, bytes for base64 binary.
 */
export function decodePayload(body: Record<string, unknown>): { type: (typeof SEND_TYPES)[number]; data: SendData } {
  const { type: given, data } = body;
  const type = SEND_TYPES.find((t) => t === given);
  if (type === undefined) {
    throw new HttpError(
      400,
      'invalid_type',
      given === undefined ? '"type" is required: one of "text", "binary", "json".' : `"type" must be one of "text", "binary", "json"; got ${JSON.stringify(given)}.`,
    );
  }
  if (data === undefined) throw validationError('data', `is required (the message to send as ${type})`);
  if (type === 'json') return { type, data: JSON.stringify(data) };
  if (typeof data !== 'string') {
    throw validationError('data', type === 'text' ? 'must be a string for type "text"' : 'must be a base64 string for type "binary"');
  }
  if (type === 'text') return { type, data };
  const compact = data.replace(/\s+/g, '');
  if (!isBase64(compact)) {
    throw new HttpError(400, 'invalid_base64', '"data" must be base64 (A-Z, a-z, 0-9, "+", "/", padded with "=") for type "binary".');
  }
  return { type, data: Buffer.from(compact, 'base64') };
}

function optionalString(value: unknown, name: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw validationError(name, 'must be a string');
  return value;
}

/** Close code and reason from an optional body or the query; the body wins. Defaults to 1000 "closed by API". */
export async function closeOptions(ctx: RouteContext): Promise<Required<CloseOptions>> {
  const raw = await readJsonBody(ctx.req, { required: false });
  const body = raw === undefined ? {} : asObject(raw);
  let code: number = API_CLOSE.code;
  let reason: string = API_CLOSE.reason;
  const queryCode = ctx.query.get('code');
  const givenCode = body.code ?? (queryCode === null || queryCode === '' ? undefined : Number(queryCode));
  if (givenCode !== undefined) {
    if (typeof givenCode !== 'number' || !isValidCloseCode(givenCode)) {
      throw validationError('code', CLOSE_CODE_RULE);
    }
    code = givenCode;
    // A code chosen by the caller does not come with our reason.
    reason = '';
  }
  const givenReason = body.reason !== undefined ? body.reason : (ctx.query.get('reason') ?? undefined);
  if (givenReason !== undefined && givenReason !== null) {
    if (typeof givenReason !== 'string') throw validationError('reason', 'must be a string');
    if (!isValidCloseReason(givenReason)) throw validationError('reason', CLOSE_REASON_RULE);
    reason = givenReason;
  }
  return { code, reason };
}

function filterFrom(query: URLSearchParams, carriers: readonly string[]): ConnectionFilter {
  const filter: ConnectionFilter = {};
  const mockId = query.get('mockId');
  const path = query.get('path');
  const room = query.get('room');
  const type = query.get('type');
  if (type && carriers.includes(type)) filter.type = type;
  else if (type) throw validationError('type', `must be ${orList(carriers)}`);
  if (mockId) filter.mockId = mockId;
  if (path) filter.path = path;
  if (room) filter.room = room;
  return filter;
}

/** `?limit=` of the messages route: the newest N frames, 100 unless told, at most 1000. */
function historyLimit(raw: string | null): number {
  if (raw === null || raw === '') return 100;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > 1000) throw validationError('limit', 'must be a whole number from 1 to 1000');
  return n;
}

function findOpen(ctx: RouteContext) {
  const id = ctx.params.id!;
  const connection = ctx.server.connections.get(id);
  if (!connection || !connection.isOpen) {
    throw notFound(`No open connection with id "${id}". It may have closed; list open ones with GET /websocket/connections.`);
  }
  return connection;
}

/** The routes under `/websocket`. */
export const connectionRoutes: Route[] = [
  {
    method: 'GET',
    path: '/websocket/connections',
    handle: (ctx) => {
      const { server, query } = ctx;
      const filter = filterFrom(query, server.mocks.kinds.carriers);
      if (asksToWait(query)) {
        if (filter.mockId !== undefined && !server.mocks.get(filter.mockId)) throw notFound(`No mock with id "${filter.mockId}".`);
        if (filter.path !== undefined || filter.room !== undefined) throw validationError('wait', 'counts all connections or those of one mockId (path and room filters are not supported with wait=1)');
        return waitForConnections(ctx, filter);
      }
      return { status: 200, body: { connections: server.connections.list(filter), stats: server.stats() } };
    },
  },
  {
    method: 'GET',
    path: '/websocket/connections/:id',
    handle: (ctx) => ({ status: 200, body: findOpen(ctx).info }),
  },
  {
    method: 'GET',
    path: '/websocket/connections/:id/messages',
    handle: (ctx) => {
      const connection = findOpen(ctx);
      const limit = historyLimit(ctx.query.get('limit'));
      const journal = connection.messages;
      const messages = journal.slice(Math.max(0, journal.length - limit)).map((m) => frameSummary(connection, m, true));
      return { status: 200, body: { connection: connection.id, total: journal.length, messages } };
    },
  },
  {
    method: 'DELETE',
    path: '/websocket/connections/:id',
    handle: async (ctx) => {
      const id = findOpen(ctx).id;
      await ctx.server.connections.close(id, await closeOptions(ctx));
      return { status: 200, body: { message: 'Connection closed', connection: id } };
    },
  },
  {
    method: 'POST',
    path: '/websocket/connections/:id/send',
    handle: async (ctx) => {
      const { type, data } = decodePayload(asObject(await readJsonBody(ctx.req, { required: true })));
      const id = findOpen(ctx).id;
      await ctx.server.connections.send(id, data);
      return { status: 200, body: { message: 'Message sent', connection: id, type } };
    },
  },
  {
    method: 'POST',
    path: '/websocket/connections/:id/rooms',
    handle: async (ctx) => {
      const body = asObject(await readJsonBody(ctx.req, { required: true }));
      if (typeof body.room !== 'string' || body.room === '') throw validationError('room', 'is required: a non-empty string');
      const connection = findOpen(ctx);
      connection.join(body.room);
      return { status: 200, body: { message: 'Joined room', connection: connection.id, room: body.room, rooms: connection.rooms } };
    },
  },
  {
    method: 'DELETE',
    path: '/websocket/connections/:id/rooms/:room',
    handle: (ctx) => {
      const connection = findOpen(ctx);
      const room = ctx.params.room!;
      connection.leave(room);
      return { status: 200, body: { message: 'Left room', connection: connection.id, room, rooms: connection.rooms } };
    },
  },
  {
    method: 'POST',
    path: '/websocket/broadcast',
    handle: async (ctx) => {
      const body = asObject(await readJsonBody(ctx.req, { required: true }));
      const { data } = decodePayload(body);
      const mockId = optionalString(body.mockId, 'mockId');
      const path = optionalString(body.path, 'path');
      const room = optionalString(body.room, 'room');
      if (mockId !== undefined && !ctx.server.mocks.get(mockId)) throw notFound(`No mock with id "${mockId}".`);
      const recipients = ctx.server.connections.broadcast(data, { mockId, path, room });
      return { status: 200, body: { message: 'Broadcast sent', recipients } };
    },
  },
  {
    method: 'GET',
    path: '/websocket/stats',
    handle: ({ server }) => ({ status: 200, body: server.stats() }),
  },
];

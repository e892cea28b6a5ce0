//
// The routes a remote handle (`connectMockServer`, src/remote/) drives a
// server with, beside the plain admin API: the version handshake, reset,
// taking the next connection of a mock, and a connection's frames after a
// cursor. The waits are long polls with a bound (LONG_POLL_LIMIT): the client
// asks again until its own deadline, so no request outlives a proxy's idle
// timeout and a dropped request loses nothing (the cursor is the client's).
//
import type { Connection } from '../connections/Connection.js';
import type { FrameMessage } from '../connections/Message.js';
import { groupOf, type Mock } from '../mocks/Mock.js';
import { realClearTimeout, realSetTimeout } from '../util/clock.js';
import { LONG_POLL_LIMIT, REMOTE_PROTOCOL, WSMOCK_VERSION } from '../util/version.js';
import { waitTimedOut } from '../errors.js';
import { compileArrivalFilter } from '../connections/arrivalFilter.js';
import { asObject, readJsonBody } from './body.js';
import { flag, refuseWhenClosing } from './holds.js';
import { HttpError, notFound, validationError } from './httpErrors.js';
import type { Ledger } from './ledger.js';
import type { Reply, Route, RouteContext } from './router.js';

/** A frame as the frames route gives it: the whole payload, binary as base64. */
export interface WireFrame {
  /** The frame's place among every frame of the server: the cursor a client asks after. */
  seq: number;
  /** `in` from the client, `out` to it (`upstream-*` on a proxy mock). */
  direction: FrameMessage['direction'];
  /** Whether it was a binary frame. */
  binary: boolean;
  /** The text, or for a binary frame its bytes in base64. */
  data: string;
  /** Payload size in bytes. */
  size: number;
  /** When it travelled, ISO 8601. */
  at: string;
}

function toWire(message: FrameMessage): WireFrame {
  return {
    seq: message.seq,
    direction: message.direction,
    binary: message.binary,
    data: message.binary ? (message.data as Buffer).toString('base64') : (message.text ?? ''),
    size: message.size,
    at: message.at.toISOString(),
  };
}

/** `?wait=MS`: 0 unless told, at most {@link LONG_POLL_LIMIT}. */
function waitParam(raw: string | null | undefined): number {
  if (raw === null || raw === undefined || raw === '') return 0;
  const ms = Number(raw);
  if (!/^\d+$/.test(raw) || ms > LONG_POLL_LIMIT) throw validationError('wait', `must be a whole number of milliseconds from 0 to ${LONG_POLL_LIMIT}`);
  return ms;
}

/** `?after=SEQ`: -1 (every frame) unless told. */
function afterParam(raw: string | null): number {
  if (raw === null || raw === '') return -1;
  const seq = Number(raw);
  if (!/^-?\d+$/.test(raw) || !Number.isSafeInteger(seq) || seq < -1) throw validationError('after', 'must be a frame seq (a whole number), or -1 for every frame');
  return seq;
}

/** The body's `timeout`: 5000 unless given (or null), else a whole number of ms from 0 to {@link LONG_POLL_LIMIT}. */
function timeoutField(value: unknown): number {
  if (value === undefined || value === null) return 5000;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > LONG_POLL_LIMIT) {
    throw validationError('timeout', `must be a whole number of milliseconds from 0 to ${LONG_POLL_LIMIT}, got ${typeof value === 'number' ? value : Array.isArray(value) ? 'an array' : typeof value}`);
  }
  return value;
}

function stringRecord(value: unknown, field: string): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw validationError(field, 'must be an object of strings (name → value)');
  for (const [name, item] of Object.entries(value)) if (typeof item !== 'string') throw validationError(`${field}.${name}`, 'must be a string');
  return value as Record<string, string>;
}

/**
 * Holds `ctx`'s response until `ready()` answers, `wake` sources fire and it
 * answers then, or `wait` ms pass (then `ready(true)` must answer). The
 * client leaving, the handler closing and the server closing end it.
 */
function longPoll(ctx: RouteContext, wait: number, ready: (final: boolean) => Reply | undefined, listen: (wake: () => void) => () => void): Promise<Reply> {
  const { server, res, holds } = ctx;
  const now = ready(wait === 0);
  if (now) return Promise.resolve(now);
  refuseWhenClosing(ctx);
  return new Promise<Reply>((resolve) => {
    let done = false;
    const finish = (reply: Reply) => {
      if (done) return;
      done = true;
      realClearTimeout(timer);
      unlisten();
      server.off('closing', closing);
      res.off('close', left);
      forget();
      resolve(reply);
    };
    const wake = () => {
      const reply = ready(false);
      if (reply) finish(reply);
    };
    const timer = realSetTimeout(() => finish(ready(true)!), wait);
    const left = () => finish({ status: 499, taken: true });
    const closing = () => finish({ status: 503, body: { error: 'server_closed', message: 'The server closed during the wait.' } });
    const forget = holds.add(closing);
    const unlisten = listen(wake);
    server.on('closing', closing);
    res.on('close', left);
  });
}

function findMock(ctx: RouteContext): Mock {
  const id = ctx.params.id!;
  const mock = ctx.server.mocks.get(id);
  if (!mock) throw notFound(`No mock with id "${id}".`);
  return mock;
}

/**
 * The connection `:id` a remote handle reads, from the ledger (so a closed one
 * the API handed out still answers); kept there from now on, since a handle
 * that reads a connection may read it again after it closes.
 */
function heldConnection(ctx: RouteContext, ledger: Ledger): { id: string; connection: Connection } {
  const id = ctx.params.id!;
  const connection = ledger.find(ctx.server, id);
  if (!connection) throw notFound(`No connection with id "${id}" (it may have closed and been forgotten).`);
  ledger.remember(connection);
  return { id, connection };
}

/** Calls `wake` on each of the connection's `events`; returns what stops it. */
function wakeOn(connection: Connection, events: readonly ('message' | 'sent' | 'close' | 'scenario')[], wake: () => void): () => void {
  for (const event of events) connection.on(event, wake);
  return () => {
    for (const event of events) connection.off(event, wake);
  };
}

/** What a remote handle knows of a connection: its snapshot, plus the handshake's query and headers. */
function described(connection: Connection): Record<string, unknown> {
  return { ...connection.info, query: connection.query, headers: connection.headers, params: connection.params };
}

/**
 * `POST /mocks/{id}/connections/next` `{ timeout?, query?, headers? }`: the
 * mock's next connection not yet taken (by this route or an in-process
 * `waitForConnection`), race-free like the in-process wait; 408 after
 * `timeout` (5 s unless given, at most 25 s). A connection is taken only
 * while the caller is there to receive it: one that leaves takes nothing.
 */
async function nextConnection(ctx: RouteContext, ledger: Ledger): Promise<Reply> {
  const mock = findMock(ctx);
  const raw = await readJsonBody(ctx.req, { required: false });
  const body = raw === undefined ? {} : asObject(raw);
  const timeout = timeoutField(body.timeout);
  const query = stringRecord(body.query, 'query');
  const headers = stringRecord(body.headers, 'headers');
  const group = groupOf(mock);
  const filter = compileArrivalFilter({ ...(query ? { query } : {}), ...(headers ? { headers } : {}) });
  const ready = (final: boolean): Reply | undefined => {
    if (ctx.server.mocks.get(mock.id) !== mock) return { status: 404, body: { error: 'not_found', message: `Mock "${mock.id}" was removed during the wait.` } };
    const connection = group.takeArrival(filter);
    if (connection) {
      ledger.remember(connection);
      return { status: 200, body: { connection: described(connection) } };
    }
    if (!final) return undefined;
    return { status: 408, body: { error: 'timeout', message: waitTimedOut(timeout, group.describeWait(filter), group.describeArrivals()).message } };
  };
  return longPoll(ctx, timeout, ready, (wake) => group.waiters.add(wake));
}

/**
 * `GET /websocket/connections/{id}/frames?after=SEQ&wait=MS`: the frames of
 * the connection's journal after `after`, both directions, whole; with
 * `wait`, held until one arrives or the connection closes. `closed` is how
 * it closed, or null while open. The connection may have closed already.
 */
function frames(ctx: RouteContext, ledger: Ledger): Promise<Reply> {
  const { id, connection } = heldConnection(ctx, ledger);
  const after = afterParam(ctx.query.get('after'));
  const wait = waitParam(ctx.query.get('wait'));
  const withViolations = flag(ctx.query, 'violations');
  const ready = (final: boolean): Reply | undefined => {
    const fresh = (connection.messages as FrameMessage[]).filter((m) => m.seq > after);
    const closed = connection.closeInfo ?? null;
    if (fresh.length === 0 && closed === null && !final) return undefined;
    return { status: 200, body: { connection: id, frames: fresh.map(toWire), closed, ...(withViolations ? { violations: connection.violations } : {}) } };
  };
  return longPoll(ctx, wait, ready, (wake) => wakeOn(connection, ['message', 'sent', 'close'], wake));
}

/**
 * `GET /websocket/connections/{id}/scenario?wait=MS`: the connection's replay
 * or scenario snapshot (`scenario`, null when its mock runs none) and how it
 * closed (`closed`, null while open); with `wait`, held until the scenario
 * ended (completed or failed) or the connection closed. What a remote
 * `toHaveReplayed` waits on.
 */
function scenario(ctx: RouteContext, ledger: Ledger): Promise<Reply> {
  const { id, connection } = heldConnection(ctx, ledger);
  const wait = waitParam(ctx.query.get('wait'));
  const ready = (final: boolean): Reply | undefined => {
    const info = connection.info.scenario;
    const closed = connection.closeInfo ?? null;
    const ended = info === null || info.status === 'completed' || info.status === 'failed';
    if (!ended && closed === null && !final) return undefined;
    return { status: 200, body: { connection: id, scenario: info, closed } };
  };
  return longPoll(ctx, wait, ready, (wake) => wakeOn(connection, ['scenario', 'close'], wake));
}

/** The routes of remote handles; `ledger` keeps the connections they hold. */
export function remoteRoutes(ledger: Ledger): Route[] {
  return [
    {
      method: 'GET',
      path: '/version',
      handle: () => ({ status: 200, body: { name: 'wsmock', version: WSMOCK_VERSION, protocol: REMOTE_PROTOCOL } }),
    },
    {
      method: 'POST',
      path: '/reset',
      handle: async ({ server }) => {
        if (!server.reset) throw new HttpError(400, 'unsupported', 'This admin API serves a target without reset().');
        await server.reset();
        ledger.clear();
        return { status: 204 };
      },
    },
    { method: 'POST', path: '/mocks/:id/connections/next', handle: (ctx) => nextConnection(ctx, ledger) },
    { method: 'GET', path: '/websocket/connections/:id/frames', handle: (ctx) => frames(ctx, ledger) },
    { method: 'GET', path: '/websocket/connections/:id/scenario', handle: (ctx) => scenario(ctx, ledger) },
  ];
}

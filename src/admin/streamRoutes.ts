//
// The admin routes that hold a response open: `GET /events` (the event
// stream) and `GET /websocket/connections?wait=1` (answer once N connections
// are open). Both are held by the handler (`Holds`): its `close()` and the
// server's end them, and a client that leaves releases its own.
//
import type { ConnectionFilter } from '../connections/ConnectionManager.js';
import { realClearTimeout, realSetTimeout } from '../util/clock.js';
import { DURATION_RULE, parseDuration } from '../util/duration.js';
import type { EventHub } from './EventHub.js';
import { flag, refuseWhenClosing } from './holds.js';
import { validationError } from './httpErrors.js';
import type { Reply, Route, RouteContext } from './router.js';

/** The longest `timeout` a wait over HTTP may ask for: 5 minutes (fetch gives up waiting for headers after that). */
export const MAX_HTTP_WAIT = 300_000;
/** A wait over HTTP without `timeout`: 5 s. */
export const DEFAULT_HTTP_WAIT = 5000;

/** `GET /events`: the admin event stream of `hub`. */
export function eventsRoute(hub: EventHub): Route {
  return {
    method: 'GET',
    path: '/events',
    handle: (ctx) => {
      refuseWhenClosing(ctx);
      const { res, query } = ctx;
      const connectionId = query.get('connection') || undefined;
      hub.subscribe(res, { frames: flag(query, 'frames'), connectionId });
      return { status: 200, taken: true };
    },
  };
}

/** Whether a `GET /websocket/connections` asks to wait (`wait=1`). */
export function asksToWait(query: URLSearchParams): boolean {
  return flag(query, 'wait');
}

function countParam(query: URLSearchParams): number {
  const raw = query.get('count');
  if (raw === null || raw === '') throw validationError('count', 'is required with wait=1: the number of open connections to wait for');
  const count = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(count)) throw validationError('count', 'must be a whole number >= 0');
  return count;
}

function timeoutParam(query: URLSearchParams): number {
  const raw = query.get('timeout');
  if (raw === null || raw === '') return DEFAULT_HTTP_WAIT;
  const ms = /^\d+$/.test(raw) ? Number(raw) : parseDuration(raw);
  if (ms === undefined) throw validationError('timeout', DURATION_RULE);
  if (ms > MAX_HTTP_WAIT) throw validationError('timeout', 'must be at most 5m');
  return ms;
}

/**
 * `GET /websocket/connections?wait=1&count=N&timeout=5s[&mockId=ID]`: answers
 * 200 with the open connections once exactly N are open (of that mock when
 * given), like `server.waitForConnectionCount(N)`; 408 with what is open when
 * the timeout passes first.
 */
export function waitForConnections(ctx: RouteContext, filter: ConnectionFilter): Promise<Reply> {
  const { server, res, query, holds } = ctx;
  const count = countParam(query);
  const timeout = timeoutParam(query);
  refuseWhenClosing(ctx);
  const { mockId } = filter;
  // Counted from the server's figures, not by listing: a connection event among
  // thousands of open connections stays O(mocks).
  const openNow = () => {
    const stats = server.stats();
    return mockId === undefined ? stats.activeConnections : (stats.connectionsByMock[mockId] ?? 0);
  };
  const answer = (status: number, extra: Record<string, unknown> = {}): Reply => ({
    status,
    body: { ...extra, connections: server.connections.list(filter), stats: server.stats() },
  });
  return new Promise<Reply>((resolve) => {
    let done = false;
    const check = () => {
      if (openNow() === count) finish(answer(200));
    };
    const timer = realSetTimeout(() => {
      const open = openNow();
      finish(
        answer(408, {
          error: 'timeout',
          message: `Waited ${timeout} ms for ${count} open connection(s)${mockId === undefined ? '' : ` on mock "${mockId}"`}; ${open} open.`,
        }),
      );
    }, timeout);
    const left = () => finish({ status: 499, taken: true });
    const closing = () => finish(answer(503, { error: 'server_closed', message: 'The server closed while waiting for connections.' }));
    const forget = holds.add(closing);
    function finish(reply: Reply): void {
      if (done) return;
      done = true;
      realClearTimeout(timer);
      server.off('connection', check);
      server.off('close', check);
      server.off('closing', closing);
      res.off('close', left);
      forget();
      resolve(reply);
    }
    server.on('connection', check);
    server.on('close', check);
    server.on('closing', closing);
    // The client gave up (its own timeout, Ctrl-C): nothing to answer, nothing left to hold.
    res.on('close', left);
    check();
  });
}

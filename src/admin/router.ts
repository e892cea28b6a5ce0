//
// A small method-and-path table. It tells apart "no such path" (the handler
// passes the request on, or answers 404) from "known path, wrong method" (405
// with `Allow`), and decodes path parameters strictly: an encoded "/" or "\"
// inside an id is refused rather than guessed at.
//
import type { IncomingMessage, ServerResponse } from 'node:http';
import { matchSegments, normalizePath } from '../util/pathSegments.js';
import type { Holds } from './holds.js';
import type { MockPolicy } from './mockPolicy.js';
import type { AdminTarget } from './target.js';
import { HttpError } from './httpErrors.js';

/** What a route handler gets. */
export interface RouteContext {
  /** The server whose API the route calls. */
  readonly server: AdminTarget;
  /** The request, its body not yet read. */
  readonly req: IncomingMessage;
  /** The response; routes return a {@link Reply} rather than write to it. */
  readonly res: ServerResponse;
  /** Decoded path parameters. */
  readonly params: Readonly<Record<string, string>>;
  /** The query string. */
  readonly query: URLSearchParams;
  /** What the handler holds open beyond this turn (streams, waits), ended by its `close()`. */
  readonly holds: Holds;
  /** What a mock posted over HTTP may read and dial. */
  readonly policy: MockPolicy;
}

/** What a route handler answers: a JSON body, or raw text for `/metrics`. */
export interface Reply {
  /** The HTTP status. */
  status: number;
  /** Sent as JSON (nothing for 204). */
  body?: unknown;
  /** Sent as is instead of `body`, with the `content-type` of `headers`. */
  text?: string;
  /** Extra response headers. */
  headers?: Record<string, string>;
  /** The route wrote (or is writing) the response itself: an event stream, a wait the client left. */
  taken?: boolean;
  /** Sent as is (the dashboard page), with the `content-type` of `headers`. */
  bytes?: Buffer;
}

/** One admin route. `path` uses `:name` for a parameter segment. */
export interface Route {
  /** The one method this route answers. */
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The path below the base path, e.g. `/mocks/:id/toggle`. */
  readonly path: string;
  /** Answered without credentials (the dashboard page: a browser cannot send a header when it navigates). */
  readonly public?: boolean;
  /** Does the work; a thrown error becomes the JSON error response. */
  handle(ctx: RouteContext): Promise<Reply> | Reply;
}

/** The outcome of looking a request up. */
export type Lookup =
  | { kind: 'none' }
  | { kind: 'method'; allow: string[] }
  | { kind: 'invalid'; error: HttpError }
  | { kind: 'route'; route: Route; params: Record<string, string> };

interface Compiled {
  route: Route;
  segments: string[];
}

function decodeParam(name: string, raw: string): string {
  if (/%(2f|5c)/i.test(raw)) {
    throw new HttpError(400, 'invalid_path', `The path segment "${raw}" (${name}) contains an encoded "/" or "\\"; ids never contain them.`);
  }
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new HttpError(400, 'invalid_path', `The path segment "${raw}" (${name}) is not valid percent-encoding.`);
  }
}

/** Routes requests by method and path. */
export class Router {
  #routes: Compiled[];

  constructor(routes: readonly Route[]) {
    this.#routes = routes.map((route) => ({ route, segments: route.path.split('/').slice(1) }));
  }

  /** Looks up `pathname` (already stripped of the base path, with its raw encoding). */
  lookup(method: string, pathname: string): Lookup {
    try {
      return this.#lookup(method, pathname);
    } catch (err) {
      if (err instanceof HttpError) return { kind: 'invalid', error: err };
      throw err;
    }
  }

  #lookup(method: string, pathname: string): Lookup {
    const parts = normalizePath(pathname).split('/').slice(1);
    const allow: string[] = [];
    let found: Route | undefined;
    let params: Record<string, string> | undefined;
    for (const { route, segments } of this.#routes) {
      const raw = matchSegments(segments, parts);
      if (!raw) continue;
      // A bad segment is a bad path whatever the method.
      params ??= Object.fromEntries(Object.entries(raw).map(([name, value]) => [name, decodeParam(name, value)]));
      if (!allow.includes(route.method)) allow.push(route.method);
      if (route.method === method) found ??= route;
    }
    if (allow.length === 0 || !params) return { kind: 'none' };
    if (!found) return { kind: 'method', allow };
    return { kind: 'route', route: found, params };
  }
}

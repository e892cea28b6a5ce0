import { resolve } from 'node:path';
import { z } from 'zod';
import { invalidConfig } from '../errors.js';
import { toConfigIssues } from '../mocks/validate.js';
import { portSchema } from '../util/port.js';
import { tlsOptionSchema, type TlsOptions } from '../server/tls.js';
import { HOST_RULE, parseHostRule, type HostRule } from './hostRules.js';

/** Options of {@link createAdminHandler}. */
export interface AdminHandlerOptions {
  /** Prefix of every admin route, e.g. `/__admin`; default none (routes start at `/`). */
  basePath?: string;
  /** When set, every request needs `Authorization: Bearer <token>` or `X-API-Key: <token>`, else 401. */
  token?: string;
  /**
   * The directory a mock posted over HTTP may name in `replay.file`: the path
   * is read inside it (relative to it, no `..` or symlink leading out). Without
   * it, `replay.file` is refused over HTTP and the recording must be sent
   * inline in `replay.recording`. Mocks defined in-process or in config files
   * are not affected.
   */
  recordings?: string;
  /**
   * The upstreams a mock posted over HTTP may dial in `proxy.url`, each
   * `HOST` (any port) or `HOST:PORT` (`api.example.com:443`, `[::1]:8080`).
   * Default: the loopback names `localhost`, `127.0.0.1` and `[::1]`; a list
   * given replaces them. Mocks defined in-process or in config files may dial
   * anything.
   */
  proxyAllow?: string[];
  /**
   * Host names (of the `Host` header) this handler answers besides IP
   * addresses and loopback names (`localhost`, `*.localhost`); any other gets
   * 403. It guards an API without a token against DNS rebinding. The admin
   * listener (`server.listenAdmin()`) always checks, with its `host` added; a
   * handler mounted in your app checks only when you give this list (your app
   * decides the names it answers to). With a `token` no check is made: a page
   * that rebinds a name cannot send the token.
   */
  allowedHosts?: string[];
}

/** Options of `server.listenAdmin()` and of `createMockServer({ admin })`. */
export interface AdminListenOptions extends AdminHandlerOptions {
  /** Port of the admin listener; default 0 (an ephemeral port). */
  port?: number;
  /** Interface of the admin listener; default `127.0.0.1`. */
  host?: string;
  /**
   * Serve the admin API over HTTPS. `true` uses the server's certificate (the one
   * of `createMockServer({ tls: true })`, or, when the server has no TLS, an
   * ephemeral one made now; either way `server.tls.ca` is the CA to trust);
   * `{ key, cert, ca? }` uses your own. Default false: plain HTTP on loopback.
   */
  tls?: boolean | TlsOptions;
}

/** Admin options after validation, with defaults filled in. */
export interface ResolvedAdminOptions {
  /** `''` for none, else `/prefix` without a trailing slash. */
  basePath: string;
  /** `undefined`: authentication off. */
  token: string | undefined;
  /** Port of a standalone listener (0: ephemeral). */
  port: number;
  /** Interface of a standalone listener. */
  host: string;
  /** TLS of a standalone listener: `true` for the server's certificate, a pair, or `undefined`. */
  tls: true | TlsOptions | undefined;
  /** The recordings directory, absolute, or `undefined`: `replay.file` refused over HTTP. */
  recordings: string | undefined;
  /** Upstreams a mock posted over HTTP may dial. */
  proxyAllow: HostRule[];
  /** Host names accepted besides IP addresses and loopback names, or `undefined`: no Host check. */
  allowedHosts: string[] | undefined;
}

/** The upstreams a mock posted over HTTP may dial when no `proxyAllow` is given. */
const LOOPBACK_UPSTREAMS = ['localhost', '127.0.0.1', '[::1]'];

const BASE_PATH = /^(\/[A-Za-z0-9._~!$&'()*+,;=:@-]+)*\/?$/;
const BASE_PATH_RULE = 'must start with "/" and hold only URL path characters (no "?", "#", "%" or white space), e.g. "/__admin"';

/** The schema of the admin options; `createMockServer` validates its `admin` option with it too. */
export const adminOptionsSchema = z.strictObject({
  port: portSchema.optional(),
  host: z.string('must be a string').min(1, 'must not be empty').optional(),
  token: z.string('must be a string').min(1, 'must not be empty (leave it out to turn authentication off)').optional(),
  basePath: z.string('must be a string').regex(BASE_PATH, BASE_PATH_RULE).optional(),
  tls: tlsOptionSchema.optional(),
  recordings: z.string('must be a string').min(1, 'must be a directory path').optional(),
  proxyAllow: z
    .array(
      z.string('must be a string').check((ctx) => {
        if (parseHostRule(ctx.value) === undefined) ctx.issues.push({ code: 'custom', message: `${HOST_RULE}, got "${ctx.value}"`, input: ctx.value });
      }),
      { error: 'must be a list of HOST or HOST:PORT' },
    )
    .optional(),
  allowedHosts: z.array(z.string('must be a string').regex(/^[A-Za-z0-9.-]+$/, 'must be a host name, e.g. "wsmock.internal"'), { error: 'must be a list of host names' }).optional(),
});

/**
 * The `admin` field of the server options: `true`, `false`, or an object of
 * {@link AdminListenOptions}. A plain union would only say "Invalid input";
 * this reports the nested field that is wrong.
 */
export const adminOptionSchema = z.unknown().check((ctx) => {
  const value = ctx.value;
  if (value === undefined || typeof value === 'boolean') return;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    ctx.issues.push({ code: 'custom', message: 'must be true, false or an object { port?, host?, token?, basePath?, tls?, recordings?, proxyAllow?, allowedHosts? }', input: value });
    return;
  }
  const result = adminOptionsSchema.safeParse(value);
  if (!result.success) for (const issue of result.error.issues) ctx.issues.push({ ...issue, input: value } as never);
});

/** `/__admin/` and `/__admin` are the same prefix; `/` is no prefix. */
function normalizeBasePath(basePath: string | undefined): string {
  if (basePath === undefined || basePath === '/') return '';
  return basePath.endsWith('/') ? basePath.slice(0, -1) : basePath;
}

/** Validates admin options; throws `WSMOCK_ERR_INVALID_CONFIG` naming each bad field. */
export function resolveAdminOptions(options: unknown, what: string): ResolvedAdminOptions {
  const result = adminOptionsSchema.safeParse(options ?? {});
  if (!result.success) throw invalidConfig(what, toConfigIssues(result.error));
  const o = result.data;
  return {
    basePath: normalizeBasePath(o.basePath),
    token: o.token,
    port: o.port ?? 0,
    host: o.host ?? '127.0.0.1',
    tls: (o.tls || undefined) as true | TlsOptions | undefined,
    recordings: o.recordings === undefined ? undefined : resolve(o.recordings),
    proxyAllow: (o.proxyAllow ?? LOOPBACK_UPSTREAMS).map((rule) => parseHostRule(rule)!),
    allowedHosts: o.allowedHosts?.map((name) => name.toLowerCase()),
  };
}

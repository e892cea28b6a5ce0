import { z } from 'zod';
import { invalidConfig } from '../errors.js';
import { toConfigIssues } from '../mocks/validate.js';
import { portSchema } from '../util/port.js';
import { tlsOptionSchema, type TlsOptions } from '../server/tls.js';

/** Options of {@link createAdminHandler}. */
export interface AdminHandlerOptions {
  /** Prefix of every admin route, e.g. `/__admin`; default none (routes start at `/`). */
  basePath?: string;
  /** When set, every request needs `Authorization: Bearer <token>` or `X-API-Key: <token>`, else 401. */
  token?: string;
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
}

const BASE_PATH = /^(\/[A-Za-z0-9._~!$&'()*+,;=:@-]+)*\/?$/;
const BASE_PATH_RULE = 'must start with "/" and hold only URL path characters (no "?", "#", "%" or white space), e.g. "/__admin"';

/** The schema of the admin options; `createMockServer` validates its `admin` option with it too. */
export const adminOptionsSchema = z.strictObject({
  port: portSchema.optional(),
  host: z.string('must be a string').min(1, 'must not be empty').optional(),
  token: z.string('must be a string').min(1, 'must not be empty (leave it out to turn authentication off)').optional(),
  basePath: z.string('must be a string').regex(BASE_PATH, BASE_PATH_RULE).optional(),
  tls: tlsOptionSchema.optional(),
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
    ctx.issues.push({ code: 'custom', message: 'must be true, false or an object { port?, host?, token?, basePath?, tls? }', input: value });
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
  };
}

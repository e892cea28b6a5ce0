import { z } from 'zod';
import { adminOptionSchema, type AdminListenOptions } from '../admin/options.js';
import { invalidConfig } from '../errors.js';
import type { WebSocketMockConfig } from '../mocks/types.js';
import { toConfigIssues } from '../mocks/validate.js';

/** Options of {@link createMockServer}. */
export interface ServerOptions {
  /** Port to listen on; default 0 (an ephemeral port). */
  port?: number;
  /** Interface to listen on; default `127.0.0.1`. */
  host?: string;
  /** Mocks to define at start. */
  mocks?: WebSocketMockConfig[];
  /** Default timeout of every `waitFor*` in milliseconds (real clock); default 1000. */
  timeout?: number;
  /** How long a closing connection may take to answer the close frame before its socket is dropped; default 2000 ms. */
  closeTimeout?: number;
  /** Start the HTTP admin API on its own listener: `true` for the defaults (127.0.0.1, an ephemeral port, no token). */
  admin?: boolean | AdminListenOptions;
}

const optionsSchema = z.strictObject({
  port: z.int('must be a whole number').min(0, 'must be from 0 to 65535').max(65535, 'must be from 0 to 65535').optional(),
  host: z.string().min(1, 'must not be empty').optional(),
  mocks: z.array(z.unknown()).optional(),
  timeout: z.number().nonnegative('must be a non-negative number of milliseconds').optional(),
  closeTimeout: z.number().nonnegative('must be a non-negative number of milliseconds').optional(),
  admin: adminOptionSchema.optional(),
});

/** Validates server options and fills in defaults. */
export function resolveOptions(options: unknown) {
  const result = optionsSchema.safeParse(options ?? {});
  if (!result.success) throw invalidConfig('server options', toConfigIssues(result.error));
  const o = result.data;
  return {
    port: o.port ?? 0,
    host: o.host ?? '127.0.0.1',
    timeout: o.timeout ?? 1000,
    closeTimeout: o.closeTimeout ?? 2000,
    mocks: (o.mocks ?? []) as WebSocketMockConfig[],
    admin: o.admin === true ? {} : o.admin ? (o.admin as AdminListenOptions) : undefined,
  };
}

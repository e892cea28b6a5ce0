import { z } from 'zod';
import { adminOptionSchema, type AdminListenOptions } from '../admin/options.js';
import { invalidConfig } from '../errors.js';
import type { MockEnvelope, WebSocketMockConfig } from '../mocks/types.js';
import { toConfigIssues } from '../mocks/validate.js';
import { portSchema } from '../util/port.js';
import { MAX_SEED, randomSeed } from '../util/random.js';
import { declarative } from '../mocks/schema.js';
import type { ChaosOptions } from '../chaos/types.js';
import type { Kit } from '../kit/Kit.js';
import { tlsOptionSchema, type TlsOptions } from './tls.js';
import { withKnownKeys } from '../mocks/unknownFields.js';

/** Options of {@link createMockServer}. */
export interface ServerOptions {
  /** Port to listen on; default 0 (an ephemeral port). */
  port?: number;
  /**
   * Interface to listen on; default `127.0.0.1`. `localhost` listens on 127.0.0.1
   * and ::1 on the same port (127.0.0.1 alone when the machine has no IPv6
   * loopback), so a client resolving `localhost` to either reaches it.
   */
  host?: string;
  /** Mocks to define at start: the flat form of `server.websocket()`, or envelopes of any kind (`{ type, <type>: fields }`). */
  mocks?: (WebSocketMockConfig | MockEnvelope)[];
  /**
   * Kits the server speaks besides the built-in ones (made with `defineKit`
   * from `wsmock/kit`): `server.mocks.add(kit, config)`, config files and the
   * admin API then take mocks of their types. A kit whose `type` is taken is
   * refused with `WSMOCK_ERR_INVALID_CONFIG`.
   */
  kits?: readonly Kit[];
  /** Default timeout of every `waitFor*` in milliseconds (real clock); default 1000. */
  timeout?: number;
  /** How long a closing connection may take to answer the close frame before its socket is dropped; default 2000 ms. */
  closeTimeout?: number;
  /** Start the HTTP admin API on its own listener: `true` for the defaults (127.0.0.1, an ephemeral port, no token). */
  admin?: boolean | AdminListenOptions;
  /**
   * Serve `wss://` and `https://` instead of `ws://` and `http://`. `true` makes
   * an ephemeral CA and a certificate it issued for `localhost`, `127.0.0.1` and
   * `::1`, valid for a day, when the server starts; `{ key, cert, ca? }` uses your
   * own (PEM text or Buffers; a key that does not match the certificate is
   * refused before listening). Clients trust it through `server.tls.ca`. The
   * admin listener stays plain HTTP unless `admin: { tls: true }`. Default false.
   */
  tls?: boolean | TlsOptions;
  /**
   * Seed of the server's random: `{{uuid}}` and everything random draw from it, so
   * two runs with the same seed and the same client traffic produce the same
   * output. An unsigned 32-bit integer; random when absent (read it back as
   * `server.seed`).
   */
  seed?: number;
  /** How much of each connection's traffic is kept. */
  journal?: JournalOptions;
  /**
   * Default seeded chaos of every mock (a mock's own `chaos` overrides it key by
   * key; `null` on a mock turns it off there). Change it at run time with
   * `server.chaos()`.
   */
  chaos?: ChaosOptions | null;
}

/** Options of the per-connection journals. */
export interface JournalOptions {
  /**
   * The most frames kept per connection, both directions together; the oldest
   * are dropped first (unread inbound frames too). The protocol kits bound
   * what they keep per connection by the same number: a Socket.IO socket's
   * events, a GraphQL connection's operations, a JSON-RPC connection's calls.
   * Default: unlimited (`wsmock serve`: 1,000).
   */
  limit?: number;
  /**
   * Forget connections once they close, journals included (a long-running
   * `wsmock serve` does): `waitForConnection()` and `mock.messages` then only
   * see open ones. What the protocol kits keep of a connection goes with it:
   * its Socket.IO sockets and their events, its GraphQL connection and
   * operations, its JSON-RPC calls. Default false.
   */
  releaseClosed?: boolean;
}

const SEED_RULE = `must be an integer from 0 to ${MAX_SEED}`;
const LIMIT_RULE = 'must be an integer >= 1';

const optionsSchema = z.strictObject({
  port: portSchema.optional(),
  host: z.string().min(1, 'must not be empty').optional(),
  mocks: z.array(z.unknown()).optional(),
  kits: z.array(z.unknown(), 'must be an array of kits made by defineKit()').optional(),
  timeout: z.number().nonnegative('must be a non-negative number of milliseconds').optional(),
  closeTimeout: z.number().nonnegative('must be a non-negative number of milliseconds').optional(),
  admin: adminOptionSchema.optional(),
  tls: tlsOptionSchema.optional(),
  seed: z.int(SEED_RULE).min(0, SEED_RULE).max(MAX_SEED, SEED_RULE).optional(),
  journal: z
    .strictObject({
      limit: z.int(LIMIT_RULE).min(1, LIMIT_RULE).optional(),
      releaseClosed: z.boolean('must be true or false').optional(),
    })
    .optional(),
  chaos: declarative.chaos.nullable().optional(),
});

/** Server options with every default filled in. */
export type ResolvedOptions = ReturnType<typeof resolveOptions>;

/** Validates server options and fills in defaults. */
export function resolveOptions(options: unknown) {
  const result = optionsSchema.safeParse(options ?? {}, withKnownKeys);
  if (!result.success) throw invalidConfig('server options', toConfigIssues(result.error));
  const o = result.data;
  return {
    port: o.port ?? 0,
    host: o.host ?? '127.0.0.1',
    timeout: o.timeout ?? 1000,
    closeTimeout: o.closeTimeout ?? 2000,
    mocks: (o.mocks ?? []) as (WebSocketMockConfig | MockEnvelope)[],
    kits: (o.kits ?? []) as readonly unknown[],
    admin: o.admin === true ? {} : o.admin ? (o.admin as AdminListenOptions) : undefined,
    tls: o.tls as boolean | TlsOptions | undefined,
    seed: o.seed ?? randomSeed(),
    chaos: (o.chaos ?? undefined) as ChaosOptions | undefined,
    journal: { limit: o.journal?.limit ?? Number.POSITIVE_INFINITY, releaseClosed: o.journal?.releaseClosed ?? false },
  };
}

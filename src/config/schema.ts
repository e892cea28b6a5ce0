import { z } from 'zod';
import type { MockKinds } from '../mocks/kinds.js';
import type { Kit } from '../kit/Kit.js';
import { kindsOf } from '../serverKinds.js';
import type { MockEnvelope } from '../mocks/types.js';
import { portSchema } from '../util/port.js';
import { MAX_SEED } from '../util/random.js';
import { declarative } from '../mocks/schema.js';
import type { ChaosOptions } from '../chaos/types.js';

const SEED_RULE = `must be an integer from 0 to ${MAX_SEED}`;
const FILE_RULE = 'must be a file path';

/** The optional `server` block of a config file: what `wsmock serve` listens on. */
export interface ConfigServerBlock {
  /** WebSocket port (CLI default 4280; 0 picks a free one). */
  port?: number;
  /** Interface for both listeners (default 127.0.0.1). */
  host?: string;
  /** Admin API port (CLI default 4290; 0 picks a free one). */
  adminPort?: number;
  /** Set false to run without the admin API. */
  admin?: boolean;
  /** Require this token on every admin request. */
  adminToken?: string;
  /** Seed of the server's random (chaos draws from it): the same seed replays the same faults. */
  seed?: number;
  /** Default seeded chaos of every mock (`wsmock serve --chaos FILE` replaces it). */
  chaos?: ChaosOptions;
  /**
   * Serve `wss://` and `https://`: `true` for an ephemeral CA and certificate,
   * or your own files (paths relative to the config file). `wsmock serve`'s
   * `--tls`, `--tls-cert` and `--tls-key` replace it.
   */
  tls?: boolean | ConfigTlsFiles;
  /**
   * Protocol kit modules `wsmock serve` loads before reading the mocks, as
   * `--kit` does (paths relative to the config file; the lists of several
   * files add up). In-process, pass the kits themselves:
   * `loadConfigFiles(files, { kits })`.
   */
  kits?: string[];
}

/** A config file's own certificate for `server.tls`: file paths, relative to the config file. */
export interface ConfigTlsFiles {
  /** The certificate (PEM). */
  cert: string;
  /** Its private key (PEM, unencrypted). */
  key: string;
  /** The CA that issued it (PEM), what `--tls-ca-out` writes; default the certificate. */
  ca?: string;
}

/** A wsmock config file, in YAML or JSON. */
export interface ConfigFile {
  /** Format version: "1.0", the only one so far and the default when left out. */
  version?: '1.0';
  /** Listener settings for `wsmock serve`. */
  server?: ConfigServerBlock;
  /** The mocks, as envelopes. */
  mocks?: MockEnvelope[];
}

/** Options of `parseConfig`, `loadConfigFiles` and {@link configJsonSchema}. */
export interface ConfigOptions {
  /** Kits whose mocks the files may define, besides the built-in ones (what `createMockServer({ kits })` gets). */
  kits?: readonly Kit[];
}

const schemas = new WeakMap<MockKinds, ReturnType<typeof makeSchema>>();

/** The config file schema of a server with `kinds`: the same mock envelope as its admin API. */
export function configFileSchema(kinds: MockKinds): ReturnType<typeof makeSchema> {
  let schema = schemas.get(kinds);
  if (!schema) schemas.set(kinds, (schema = makeSchema(kinds)));
  return schema;
}

function makeSchema(kinds: MockKinds) {
  return z.strictObject({
    $schema: z.string().optional(),
    // Optional: a file without it is read as "1.0". A later format will have to
    // be asked for by its version, so files written today keep their meaning.
    version: z.literal('1.0', { error: 'must be "1.0" (or left out)' }).optional(),
    server: z
      .strictObject({
        port: portSchema.optional(),
        host: z.string().min(1).optional(),
        adminPort: portSchema.optional(),
        admin: z.boolean().optional(),
        adminToken: z.string().min(1).optional(),
        seed: z.int(SEED_RULE).min(0, SEED_RULE).max(MAX_SEED, SEED_RULE).optional(),
        chaos: declarative.chaos.optional(),
        kits: z.array(z.string().min(1, FILE_RULE), 'must be a list of kit module paths').optional(),
        tls: z
          .union([z.boolean(), z.strictObject({ cert: z.string().min(1, FILE_RULE), key: z.string().min(1, FILE_RULE), ca: z.string().min(1, FILE_RULE).optional() })], {
            error: 'must be true, false or { cert, key, ca? } (file paths)',
          })
          .optional(),
      })
      .optional(),
    mocks: z.array(kinds.envelopeSchema).optional(),
  });
}

/**
 * The JSON Schema of config files, generated from the same zod definition that
 * validates them (the built-in types, and those of `options.kits`). Shipped
 * as `schema/wsmock.schema.json` for editors.
 */
export function configJsonSchema(options: ConfigOptions = {}): Record<string, unknown> {
  const schema = z.toJSONSchema(configFileSchema(kindsOf(options.kits)), { target: 'draft-2020-12', unrepresentable: 'any', io: 'input' });
  return {
    ...schema,
    title: 'wsmock config file',
    description: 'Mocks and listener settings for `wsmock serve`. Reference it from YAML with `# yaml-language-server: $schema=./node_modules/wsmock/schema/wsmock.schema.json`.',
  };
}

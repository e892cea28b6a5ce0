//
// `wsmock serve`'s TLS: the flags (--tls, --tls-cert/--tls-key/--tls-ca,
// --tls-ca-out) and a config file's `server.tls`, read and checked before
// anything listens, with every problem named by the flag or field the user
// wrote, not by the in-process option it becomes.
//
import { readFile, writeFile } from 'node:fs/promises';
import { invalidConfig, type ConfigIssue } from '../errors.js';
import type { ConfigServerBlock } from '../config/schema.js';
import { tlsOptionSchema, type TlsOptions } from '../server/tls.js';
import { UsageError } from './args.js';

/** The TLS flags of `wsmock serve`, as parsed. */
export interface TlsFlags {
  tls?: boolean;
  'tls-cert'?: string;
  'tls-key'?: string;
  'tls-ca'?: string;
  'tls-ca-out'?: string;
}

type Part = 'cert' | 'key' | 'ca';

/** Where each part of the pair came from, as the user wrote it: a flag or a config field. */
type Sources = Partial<Record<Part, { file: string; name: string }>>;

async function readPart(source: { file: string; name: string }, issues: ConfigIssue[]): Promise<Buffer | undefined> {
  try {
    return await readFile(source.file);
  } catch (err) {
    issues.push({ path: source.name, message: `cannot read ${source.file}: ${(err as Error).message.split('\n')[0]}` });
    return undefined;
  }
}

function sourcesOf(flags: TlsFlags, block: ConfigServerBlock, usage: string): Sources | true | undefined {
  const cert = flags['tls-cert'];
  const key = flags['tls-key'];
  if ((cert === undefined) !== (key === undefined)) throw new UsageError('--tls-cert and --tls-key go together: give both files.', usage);
  if (flags['tls-ca'] !== undefined && cert === undefined) throw new UsageError('--tls-ca names the CA of --tls-cert: give --tls-cert and --tls-key too.', usage);
  if (cert !== undefined && key !== undefined) {
    const ca = flags['tls-ca'];
    return { cert: { file: cert, name: '--tls-cert' }, key: { file: key, name: '--tls-key' }, ...(ca !== undefined ? { ca: { file: ca, name: '--tls-ca' } } : {}) };
  }
  if (flags.tls) return true;
  const fromFile = block.tls;
  if (fromFile === true) return true;
  if (typeof fromFile !== 'object') return undefined;
  const field = (part: Part, file: string) => ({ file, name: `server.tls.${part}` });
  return { cert: field('cert', fromFile.cert), key: field('key', fromFile.key), ...(fromFile.ca !== undefined ? { ca: field('ca', fromFile.ca) } : {}) };
}

/**
 * The `tls` option of the server `serve` starts: `true`, the user's pair read
 * from its files, or `undefined`. Throws `WSMOCK_ERR_INVALID_CONFIG` naming the
 * flag or config field of a file that cannot be read, is not PEM, or holds a
 * key that does not match the certificate; a `UsageError` for flags that do
 * not go together.
 */
export async function serveTls(flags: TlsFlags, block: ConfigServerBlock, usage: string): Promise<true | TlsOptions | undefined> {
  const sources = sourcesOf(flags, block, usage);
  if (flags['tls-ca-out'] !== undefined && sources === undefined) {
    throw new UsageError('--tls-ca-out writes the CA of a TLS server: add --tls (or --tls-cert and --tls-key).', usage);
  }
  if (sources === undefined || sources === true) return sources;
  const issues: ConfigIssue[] = [];
  const parts: Partial<Record<Part, Buffer>> = {};
  for (const part of ['cert', 'key', 'ca'] as const) {
    const source = sources[part];
    if (source) parts[part] = await readPart(source, issues);
  }
  if (issues.length > 0) throw invalidConfig('TLS files', issues);
  const options = parts as TlsOptions;
  const result = tlsOptionSchema.safeParse(options);
  if (!result.success) {
    throw invalidConfig(
      'TLS files',
      result.error.issues.map((issue) => {
        const part = issue.path[0] as Part | undefined;
        const source = part ? sources[part] : undefined;
        return { path: source ? source.name : '--tls-cert/--tls-key', message: source ? `${source.file} ${issue.message}` : issue.message };
      }),
    );
  }
  return options;
}

/** Writes the CA a client should trust to `--tls-ca-out`, when asked; returns the line `serve` prints about it. */
export async function writeCaOut(flags: TlsFlags, ca: string | undefined): Promise<string | undefined> {
  const out = flags['tls-ca-out'];
  if (ca === undefined) return undefined;
  if (out === undefined) return 'TLS on: pass --tls-ca-out FILE to write the CA clients should trust';
  await writeFile(out, ca);
  return `TLS CA written to ${out} (trust it: NODE_EXTRA_CA_CERTS=${out}, or the client's ca option)`;
}

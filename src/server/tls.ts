//
// TLS for a listener: the option (`tls: true` or your own pair), its checks
// and the material the listener serves with. The checks are synchronous and
// run with the other options, so a bad pair is refused before anything
// listens; the ephemeral certificate (certificate.ts) is made at start.
//
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import { z } from 'zod';
import { ephemeralCertificate } from './certificate.js';
import { withKnownKeys } from '../mocks/unknownFields.js';

/**
 * Your own certificate for `createMockServer({ tls })` or `admin: { tls }`: PEM
 * text or Buffers holding PEM (read files yourself, e.g. `readFileSync('cert.pem')`;
 * config files and `wsmock serve --tls-cert/--tls-key` take file paths).
 */
export interface TlsOptions {
  /** The private key (PEM, unencrypted) matching `cert`. */
  key: string | Buffer;
  /** The server certificate (PEM), optionally followed by its intermediates. */
  cert: string | Buffer;
  /**
   * The CA a client should trust, reported as `server.tls.ca` (PEM). Default:
   * `cert` itself, which is right for a self-signed certificate.
   */
  ca?: string | Buffer;
}

/**
 * What a client needs to trust a wsmock server that speaks TLS (`server.tls`):
 * pass `ca` to the client (`new WebSocket(url, { ca })`), write it to the file
 * named by `NODE_EXTRA_CA_CERTS`, or import it where the client keeps its trust.
 */
export interface TlsInfo {
  /**
   * The CA certificate (PEM) to trust. With `tls: true` it is the server's own
   * ephemeral CA, made at start, which issued `cert`; with your own pair, your
   * `ca` (or your `cert` when you gave none).
   */
  readonly ca: string;
  /** The certificate (PEM) the server presents. */
  readonly cert: string;
}

/** What a TLS listener serves with, and what the server reports of it. @internal */
export interface TlsMaterial {
  readonly key: string | Buffer;
  readonly cert: string | Buffer;
  readonly info: TlsInfo;
}

type Issue = { message: string; path: (string | number)[] };

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

function firstLine(err: unknown): string {
  return (err as Error).message.split('\n')[0]!;
}

/** A string that looks like a file name rather than PEM text gets a hint. */
function notPem(value: string | Buffer, what: string): string {
  const text = value.toString();
  const hint = typeof value === 'string' && !text.includes('-----BEGIN') ? ` (in-process, "tls" takes the PEM text: read the file with readFileSync("${text.slice(0, 80)}"))` : '';
  return `is not a PEM ${what}${hint}`;
}

function certificates(value: string | Buffer, field: string, issues: Issue[]): X509Certificate[] {
  const blocks = value.toString().match(PEM_BLOCK) ?? [];
  if (blocks.length === 0) {
    issues.push({ path: [field], message: notPem(value, 'certificate') });
    return [];
  }
  const parsed: X509Certificate[] = [];
  for (const block of blocks) {
    try {
      parsed.push(new X509Certificate(block));
    } catch (err) {
      issues.push({ path: [field], message: `holds a certificate that does not parse: ${firstLine(err)}` });
    }
  }
  return parsed;
}

function privateKey(value: string | Buffer, issues: Issue[]): KeyObject | undefined {
  // PKCS#8 (`BEGIN ENCRYPTED PRIVATE KEY`) or traditional (`Proc-Type: 4,ENCRYPTED`).
  if (/ENCRYPTED/.test(value.toString())) {
    issues.push({ path: ['key'], message: 'is encrypted; give the key without a passphrase' });
    return undefined;
  }
  try {
    return createPrivateKey(value);
  } catch (err) {
    issues.push({ path: ['key'], message: `${notPem(value, 'private key')}: ${firstLine(err)}` });
    return undefined;
  }
}

/** Checks a user's pair: each part parses, the key is the certificate's, Node accepts them together. */
function checkPair(options: TlsOptions): Issue[] {
  const issues: Issue[] = [];
  const [leaf] = certificates(options.cert, 'cert', issues);
  const key = privateKey(options.key, issues);
  if (options.ca !== undefined) certificates(options.ca, 'ca', issues);
  if (leaf && key && !leaf.checkPrivateKey(key)) {
    issues.push({ path: ['key'], message: `does not match the certificate in "cert" (${leaf.subject.replace(/\n/g, ', ')}): give the key the certificate was issued for` });
  }
  if (issues.length === 0) {
    try {
      createSecureContext({ key: options.key, cert: options.cert, ...(options.ca !== undefined ? { ca: options.ca } : {}) });
    } catch (err) {
      issues.push({ path: [], message: `is refused by Node's TLS: ${firstLine(err)}` });
    }
  }
  return issues;
}

const pemValue = z.union([z.string(), z.instanceof(Buffer)], {
  error: (issue) => (issue.input === undefined ? 'is required: PEM text or a Buffer' : 'must be PEM text or a Buffer'),
});
const pairSchema = z.strictObject({ key: pemValue, cert: pemValue, ca: pemValue.optional() });
const TLS_RULE = 'must be true, false or an object { key, cert, ca? } of PEM text or Buffers';

/**
 * The `tls` field of the server and admin options: `true` (an ephemeral
 * certificate), `false`, or {@link TlsOptions}, whose key must match its
 * certificate. Issues name the nested field (`tls.key`).
 */
export const tlsOptionSchema = z.unknown().check((ctx) => {
  const value = ctx.value;
  if (value === undefined || typeof value === 'boolean') return;
  if (typeof value !== 'object' || value === null || Array.isArray(value) || Buffer.isBuffer(value)) {
    ctx.issues.push({ code: 'custom', message: TLS_RULE, input: value });
    return;
  }
  const shape = pairSchema.safeParse(value, withKnownKeys);
  if (!shape.success) {
    for (const issue of shape.error.issues) ctx.issues.push({ ...issue, input: value } as never);
    return;
  }
  for (const issue of checkPair(shape.data)) ctx.issues.push({ code: 'custom', message: issue.message, path: issue.path, input: value });
});

const pem = (value: string | Buffer) => value.toString();

/**
 * The material of a validated `tls` option: `true` makes an ephemeral CA and a
 * certificate it issued (certificate.ts, loading `selfsigned` only then);
 * a pair is used as given.
 */
export async function tlsMaterial(option: boolean | TlsOptions | undefined): Promise<TlsMaterial | undefined> {
  if (!option) return undefined;
  if (option === true) {
    const { key, cert, ca } = await ephemeralCertificate();
    return { key, cert, info: Object.freeze({ ca, cert }) };
  }
  return { key: option.key, cert: option.cert, info: Object.freeze({ ca: pem(option.ca ?? option.cert), cert: pem(option.cert) }) };
}

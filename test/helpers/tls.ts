//
// TLS helpers for the tls.* tests: certificates made the way a user would
// (selfsigned, as a user's own pair), and a `ws` client over wss:// that
// resolves once open or rejects with the TLS error the client saw.
//
import { generate } from 'selfsigned';
import type { ConnectionOptions } from 'node:tls';
import WebSocket, { type ClientOptions } from 'ws';

/** PEM texts of a key and the certificate for it, and the CA that issued it (the certificate itself when self-signed). */
export interface Pair {
  key: string;
  cert: string;
  ca: string;
}

const EC = { keyType: 'ec', curve: 'P-256', algorithm: 'sha256' } as const;
const SERVER_NAMES = {
  name: 'subjectAltName' as const,
  altNames: [
    { type: 2 as const, value: 'localhost' },
    { type: 7 as const, ip: '127.0.0.1' },
  ],
};

/** A self-signed certificate for localhost and 127.0.0.1: its own CA. */
export async function selfSignedPair(commonName = 'localhost'): Promise<Pair> {
  const made = await generate([{ name: 'commonName', value: commonName }], { ...EC, extensions: [SERVER_NAMES] });
  return { key: made.private, cert: made.cert, ca: made.cert };
}

/** A CA, and a certificate for localhost and 127.0.0.1 it issued. */
export async function caIssuedPair(): Promise<Pair> {
  const ca = await generate([{ name: 'commonName', value: 'test CA' }], {
    ...EC,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, critical: true },
    ],
  });
  const leaf = await generate([{ name: 'commonName', value: 'localhost' }], { ...EC, ca: { key: ca.private, cert: ca.cert }, extensions: [SERVER_NAMES] });
  return { key: leaf.private, cert: leaf.cert, ca: ca.cert };
}

/** Client options: ws's, with the host check typed as Node's TLS takes it (ws hands it to tls.connect). */
export type WssOptions = Omit<ClientOptions, 'checkServerIdentity'> & Pick<ConnectionOptions, 'checkServerIdentity'>;

/** Opens a `ws` client (trusting `ca` when given); rejects with the client's error (its `code` is OpenSSL's verdict). */
export function openWss(url: string, ca?: string, options: WssOptions = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { ...(options as ClientOptions), ...(ca === undefined ? {} : { ca }) });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** The next message of `ws` as text. */
export function nextText(ws: WebSocket): Promise<string> {
  return new Promise((resolve) => ws.once('message', (data) => resolve(String(data))));
}

/** Closes `ws` and waits for the close. */
export function closeWs(ws: WebSocket): Promise<void> {
  return new Promise((resolve) => {
    if (ws.readyState === WebSocket.CLOSED) return resolve();
    ws.once('close', () => resolve());
    ws.close();
  });
}

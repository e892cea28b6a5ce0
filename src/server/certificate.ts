//
// The ephemeral certificate of `tls: true`: a CA made for this server only
// and a certificate it issued for localhost, 127.0.0.1 and ::1, valid for a
// day. Two certificates rather than one self-signed: a client is told to trust
// a CA (`server.tls.ca`, NODE_EXTRA_CA_CERTS), and some clients refuse a leaf
// that is its own CA. Elliptic-curve keys (P-256) take milliseconds to make.
//
// `selfsigned` is imported here, when a server asks for TLS, never when wsmock
// loads: loading stays as fast as it was, and under jsdom nothing of it is read.
//
import { randomBytes } from 'node:crypto';
import { realNow } from '../util/clock.js';

const HOUR = 60 * 60 * 1000;
const KEY = { keyType: 'ec', curve: 'P-256', algorithm: 'sha256' } as const;

/** PEM texts of an ephemeral certificate. */
export interface Ephemeral {
  key: string;
  cert: string;
  ca: string;
}

/** A fresh CA and a server certificate it issued; the CA's key is dropped once it has signed. */
export async function ephemeralCertificate(): Promise<Ephemeral> {
  const { generate } = await import('selfsigned');
  // The real clock: a test with a faked Date must still get a certificate the
  // TLS peer accepts now. Back-dated a little for a peer whose clock lags.
  const now = realNow().getTime();
  const validity = { notBeforeDate: new Date(now - HOUR), notAfterDate: new Date(now + 24 * HOUR) };
  // A name of its own: a client trusting two servers' CAs finds each leaf's issuer by name.
  const ca = await generate([{ name: 'commonName', value: `wsmock ephemeral CA ${randomBytes(6).toString('hex')}` }], {
    ...KEY,
    ...validity,
    extensions: [
      { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  const leaf = await generate([{ name: 'commonName', value: 'localhost' }], {
    ...KEY,
    ...validity,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  return { key: leaf.private, cert: leaf.cert, ca: ca.cert };
}

// tls-echo: one certificate for both servers of a run, made the way wsmock's
// own ephemeral one is (an EC P-256 key), so the two differ only in the server
// code above TLS. The load trusts it as its CA.
import { generate } from 'selfsigned';

let made;

/** `{ key, cert }` (PEM) for 127.0.0.1, made once per bench run. */
export function benchCertificate() {
  made ??= generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] }],
  }).then((pem) => ({ key: pem.private, cert: pem.cert }));
  return made;
}

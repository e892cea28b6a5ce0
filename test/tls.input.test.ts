import { createPrivateKey } from 'node:crypto';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockServer, WsMockErrorCode, type MockServer, type ServerOptions } from '../src/index.js';
import { caIssuedPair, selfSignedPair, type Pair } from './helpers/tls.js';

let a: Pair;
let b: Pair;
beforeAll(async () => {
  [a, b] = await Promise.all([selfSignedPair(), caIssuedPair()]);
});

/** The issues of the WSMOCK_ERR_INVALID_CONFIG that `createMockServer(options)` rejects with. */
async function refusal(options: ServerOptions) {
  const err = await createMockServer(options).then(
    async (server) => {
      await server.close();
      throw new Error('createMockServer accepted the options');
    },
    (e: unknown) => e as { code: string; message: string; issues: { path: string; message: string }[] },
  );
  expect(err.code).toBe(WsMockErrorCode.INVALID_CONFIG);
  return err;
}

/** A port nobody listens on, to prove a refused server never bound it. */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer()
      .once('error', () => resolve(false))
      .listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

describe('bad tls options are refused before listening, naming the field', () => {
  it('a key that does not match the certificate', async () => {
    const port = await freePort();
    const err = await refusal({ port, tls: { key: b.key, cert: a.cert } });
    expect(err.issues).toEqual([{ path: 'tls.key', message: expect.stringMatching(/^does not match the certificate in "cert" \(CN=localhost\)/) }]);
    expect(err.message).toContain('Invalid server options: 1 problem');
    expect(await portIsFree(port)).toBe(true);
  });

  it('garbage PEM, and a file name given where PEM text is expected', async () => {
    const err = await refusal({ tls: { key: '-----BEGIN PRIVATE KEY-----\nnot base64\n-----END PRIVATE KEY-----\n', cert: 'certs/server.pem' } });
    expect(err.issues).toEqual([
      { path: 'tls.cert', message: 'is not a PEM certificate (in-process, "tls" takes the PEM text: read the file with readFileSync("certs/server.pem"))' },
      { path: 'tls.key', message: expect.stringMatching(/^is not a PEM private key: /) },
    ]);
    const broken = a.cert.replace(/\n[A-Za-z0-9+/]{10}/, '\nAAAAAAAAAA');
    const err2 = await refusal({ tls: { key: a.key, cert: broken } });
    expect(err2.issues[0]).toMatchObject({ path: 'tls.cert' });
  });

  it('an encrypted key, a bad ca, a missing key, a wrong type', async () => {
    const encrypted = createPrivateKey(a.key).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'secret' });
    expect((await refusal({ tls: { key: encrypted, cert: a.cert } })).issues).toEqual([{ path: 'tls.key', message: 'is encrypted; give the key without a passphrase' }]);
    expect((await refusal({ tls: { key: a.key, cert: a.cert, ca: 'nope' } })).issues).toEqual([{ path: 'tls.ca', message: expect.stringMatching(/^is not a PEM certificate/) }]);
    expect((await refusal({ tls: { cert: a.cert } as never })).issues).toEqual([{ path: 'tls.key', message: 'is required: PEM text or a Buffer' }]);
    expect((await refusal({ tls: { key: a.key, cert: a.cert, passphrase: 'x' } as never })).issues).toEqual([{ path: 'tls.passphrase', message: 'is not a known field' }]);
    expect((await refusal({ tls: 'yes' as never })).issues).toEqual([{ path: 'tls', message: 'must be true, false or an object { key, cert, ca? } of PEM text or Buffers' }]);
    expect((await refusal({ tls: { key: 42, cert: a.cert } as never })).issues).toEqual([{ path: 'tls.key', message: 'must be PEM text or a Buffer' }]);
  });

  it('admin: { tls } is checked the same way, as admin.tls', async () => {
    const err = await refusal({ admin: { tls: { key: b.key, cert: a.cert } } });
    expect(err.issues).toEqual([{ path: 'admin.tls.key', message: expect.stringMatching(/^does not match the certificate/) }]);
  });

  describe('server.listenAdmin({ tls })', () => {
    let server: MockServer;
    beforeAll(async () => {
      server = await createMockServer();
    });
    afterAll(() => server.close());

    it('rejects a bad pair with WSMOCK_ERR_INVALID_CONFIG and starts nothing', async () => {
      await expect(server.listenAdmin({ tls: { key: a.key, cert: b.cert } })).rejects.toMatchObject({
        code: WsMockErrorCode.INVALID_CONFIG,
        issues: [{ path: 'tls.key', message: expect.stringMatching(/^does not match/) }],
      });
      expect(server.adminUrl).toBeUndefined();
      expect(server.tls).toBeNull();
    });
  });
});

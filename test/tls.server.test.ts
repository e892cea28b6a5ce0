import { X509Certificate } from 'node:crypto';
import { get } from 'node:https';
import type { PeerCertificate } from 'node:tls';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMockServer } from '../src/index.js';
import { caIssuedPair, closeWs, nextText, openWss, selfSignedPair } from './helpers/tls.js';
import { useServers } from './helpers/server.js';

const start = useServers();
afterEach(() => {
  vi.useRealTimers();
});

/** A host check for `[::1]`: the certificate must name the IPv6 loopback address. */
function ipv6LoopbackIdentity(_host: string, cert: PeerCertificate): Error | undefined {
  const names = (cert.subjectaltname ?? '').split(', ');
  return names.includes('IP Address:::1') || names.includes('IP Address:0:0:0:0:0:0:0:1') ? undefined : new Error(`::1 is not in ${cert.subjectaltname}`);
}

/** GET over https trusting `ca`: status and body. */
function httpsGet(url: string, ca: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get(url, { ca }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    }).on('error', reject);
  });
}

describe('createMockServer({ tls: true })', () => {
  it('serves wss:// to a ws client that trusts server.tls.ca, and messages go both ways', async () => {
    const server = await start({ tls: true });
    const feed = server.websocket('/feed', { echoMode: false });
    expect(server.url).toMatch(/^wss:\/\/127\.0\.0\.1:\d+$/);
    expect(server.httpUrl).toBe(server.url.replace('wss://', 'https://'));
    expect(feed.url).toBe(`${server.url}/feed`);

    const client = await openWss(feed.url, server.tls!.ca);
    const conn = await feed.waitForConnection();
    client.send('from the client');
    expect((await conn.waitForMessage()).text).toBe('from the client');
    const pushed = nextText(client);
    await conn.send({ type: 'price', value: 42 });
    expect(JSON.parse(await pushed)).toEqual({ type: 'price', value: 42 });
    await closeWs(client);
  });

  it('is refused by a client that does not trust the CA, with the certificate error, and the server keeps serving', async () => {
    const server = await start({ tls: true });
    const feed = server.websocket('/feed');
    await expect(openWss(feed.url)).rejects.toMatchObject({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
    // Trusting the leaf alone is not enough either: it is not a CA.
    await expect(openWss(feed.url, server.tls!.cert)).rejects.toMatchObject({ code: expect.stringMatching(/^(UNABLE_TO_GET_ISSUER_CERT_LOCALLY|UNABLE_TO_VERIFY_LEAF_SIGNATURE)$/) });
    expect(server.connections.list()).toHaveLength(0);
    const client = await openWss(feed.url, server.tls!.ca);
    client.send('still here');
    expect(await nextText(client)).toBe('still here');
    await closeWs(client);
  });

  it('makes a CA and a certificate it issued for localhost, 127.0.0.1 and ::1, valid for a day', async () => {
    const server = await start({ tls: true });
    const ca = new X509Certificate(server.tls!.ca);
    const leaf = new X509Certificate(server.tls!.cert);
    expect(ca.ca).toBe(true);
    expect(leaf.ca).toBe(false);
    expect(leaf.checkIssued(ca)).toBe(true);
    expect(leaf.verify(ca.publicKey)).toBe(true);
    expect(leaf.subjectAltName).toMatch(/^DNS:localhost, IP Address:127\.0\.0\.1, IP Address:(0:0:0:0:0:0:0:1|::1)$/);
    const now = Date.now();
    expect(Date.parse(leaf.validFrom)).toBeLessThanOrEqual(now);
    expect(Date.parse(leaf.validTo) - now).toBeGreaterThan(23 * 3600_000);
    expect(Date.parse(leaf.validTo) - now).toBeLessThanOrEqual(24 * 3600_000);
    // A fresh CA per server: trusting one server's CA trusts nothing else.
    const other = await start({ tls: true });
    expect(other.tls!.ca).not.toBe(server.tls!.ca);
    await expect(openWss(`${other.url}/x`, server.tls!.ca)).rejects.toMatchObject({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
  });

  it('on host localhost answers wss://localhost and wss://[::1] with the same certificate', async () => {
    const server = await start({ tls: true, host: 'localhost' });
    const feed = server.websocket('/feed');
    expect(feed.url).toMatch(/^wss:\/\/localhost:\d+\/feed$/);
    for (const url of [feed.url, feed.url.replace('localhost', '127.0.0.1'), feed.url.replace('localhost', '[::1]')]) {
      // Node 22's own host check refuses every IPv6 literal ("Cert does not
      // contain a DNS name"; Node 20 and 24 accept ::1): for [::1] the test
      // checks the address itself, in either spelling Node prints it.
      const ipv6 = url.includes('[::1]') ? { checkServerIdentity: ipv6LoopbackIdentity } : {};
      const client = await openWss(url, server.tls!.ca, ipv6).catch((err: NodeJS.ErrnoException) => {
        // A machine without an IPv6 loopback listens on 127.0.0.1 alone.
        if (url.includes('[::1]') && err.code === 'ECONNREFUSED') return undefined;
        throw err;
      });
      if (!client) continue;
      client.send(url);
      expect(await nextText(client)).toBe(url);
      await closeWs(client);
    }
  });

  it('answers plain HTTPS on the same port: a path without a mock gets the 404 JSON', async () => {
    const server = await start({ tls: true });
    server.websocket('/feed');
    expect(await httpsGet(`${server.httpUrl}/nothing`, server.tls!.ca)).toEqual({ status: 404, body: JSON.stringify({ error: 'websocket_endpoint_not_found', path: '/nothing' }) });
    expect((await httpsGet(`${server.httpUrl}/feed`, server.tls!.ca)).status).toBe(426);
  });

  it('makes a certificate valid on the real clock while the test fakes Date', async () => {
    vi.useFakeTimers({ now: new Date('2001-02-03T04:05:06Z') });
    const server = await start({ tls: true });
    vi.useRealTimers();
    const client = await openWss(`${server.websocket('/feed').url}`, server.tls!.ca);
    client.send('now');
    expect(await nextText(client)).toBe('now');
    await closeWs(client);
  });

  it('server.tls is null without TLS, and the URLs stay ws:// and http://', async () => {
    const server = await start({});
    expect(server.tls).toBeNull();
    expect(server.url).toMatch(/^ws:\/\//);
    expect(server.httpUrl).toMatch(/^http:\/\//);
    const off = await start({ tls: false });
    expect(off.tls).toBeNull();
  });

  it('closes with the server: the port is free and nothing stays open', async () => {
    const server = await createMockServer({ tls: true });
    const feed = server.websocket('/feed');
    const client = await openWss(feed.url, server.tls!.ca);
    const closed = new Promise<number>((resolve) => client.once('close', (code) => resolve(code)));
    await server.close();
    expect(await closed).toBe(1001);
    const again = await start({ tls: true, port: server.port });
    expect(again.port).toBe(server.port);
  });
});

describe('createMockServer({ tls: { key, cert, ca? } })', () => {
  it('serves a self-signed pair (PEM text), which is its own CA', async () => {
    const pair = await selfSignedPair();
    const server = await start({ tls: { key: pair.key, cert: pair.cert } });
    expect(server.tls).toEqual({ ca: pair.cert, cert: pair.cert });
    const feed = server.websocket('/feed');
    await expect(openWss(feed.url)).rejects.toMatchObject({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    const client = await openWss(feed.url, server.tls!.ca);
    client.send('own pair');
    expect(await nextText(client)).toBe('own pair');
    await closeWs(client);
  });

  it('serves a CA-issued pair given as Buffers, and reports the given CA', async () => {
    const pair = await caIssuedPair();
    const server = await start({ tls: { key: Buffer.from(pair.key), cert: Buffer.from(pair.cert), ca: Buffer.from(pair.ca) } });
    expect(server.tls).toEqual({ ca: pair.ca, cert: pair.cert });
    const feed = server.websocket('/feed');
    await expect(openWss(feed.url)).rejects.toMatchObject({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
    const client = await openWss(feed.url, pair.ca);
    client.send('issued');
    expect(await nextText(client)).toBe('issued');
    await closeWs(client);
  });
});

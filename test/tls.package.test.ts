import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { packIntoConsumer } from './helpers/pack.js';

const run = promisify(execFile);

// Both builds of the packed package serve TLS; `selfsigned` is loaded only
// when a server asks for it (the CommonJS module cache shows when).
const cjs = `
const loaded = () => Object.keys(require.cache).some((path) => path.includes('/selfsigned/'));
const { createMockServer } = require('wsmock');
const WebSocket = require('ws');
(async () => {
  const before = loaded();
  const plain = await createMockServer();
  const afterPlain = loaded();
  await plain.close();
  const server = await createMockServer({ tls: true });
  const feed = server.websocket('/feed');
  const client = new WebSocket(feed.url, { ca: server.tls.ca });
  client.on('open', () => client.send('cjs'));
  client.on('message', async (data) => {
    console.log(before, afterPlain, loaded(), String(data));
    client.close();
    await server.close();
  });
})();
`;

const esm = `
import { createMockServer } from 'wsmock';
import WebSocket from 'ws';
const server = await createMockServer({ tls: true });
const client = new WebSocket(server.websocket('/feed').url, { ca: server.tls.ca });
client.on('open', () => client.send('esm'));
client.on('message', async (data) => {
  console.log(server.url.slice(0, 6), String(data));
  client.close();
  await server.close();
});
`;

it('the CommonJS and ESM builds serve wss://, loading selfsigned only for a TLS server', async () => {
  const consumer = packIntoConsumer('tls-builds');
  writeFileSync(join(consumer, 'tls.cjs'), cjs);
  writeFileSync(join(consumer, 'tls.mjs'), esm);
  expect((await run(process.execPath, ['tls.cjs'], { cwd: consumer, timeout: 20_000 })).stdout).toBe('false false true cjs\n');
  expect((await run(process.execPath, ['tls.mjs'], { cwd: consumer, timeout: 20_000 })).stdout).toBe('wss:// esm\n');
}, 120_000);

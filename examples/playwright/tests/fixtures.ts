import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { test as base, expect as baseExpect } from '@playwright/test';
import { wsmockFixtures, wsmockMatchers, type WsMockFixtures, type WsMockWorkerFixtures } from 'wsmock/playwright';

const appDir = join(import.meta.dirname, '..', 'app');
const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript' };

export const test = base
  .extend<WsMockFixtures, WsMockWorkerFixtures>(wsmockFixtures)
  // Serves ../app on a loopback ephemeral port for the worker's lifetime.
  .extend<{}, { appUrl: string }>({
  appUrl: [
    async ({}, use) => {
      const server = createServer(async (req, res) => {
        const path = new URL(req.url ?? '/', 'http://localhost').pathname;
        const file = path === '/' ? 'index.html' : path.slice(1);
        try {
          const body = await readFile(join(appDir, file));
          res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(body);
        } catch {
          res.writeHead(404).end();
        }
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      await use(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
      await new Promise((resolve) => server.close(resolve));
    },
    { scope: 'worker' },
  ],
});

export const expect = baseExpect.extend(wsmockMatchers);

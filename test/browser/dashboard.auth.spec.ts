import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import express from 'express';
import { createAdminHandler } from '../../dist/index.js';
import { connect, startServer } from './helpers.js';

test('with a token the page shows nothing until it is entered, and a wrong token says so', async ({ page }) => {
  const server = await startServer({ token: 's3cret' });
  try {
    server.websocket({ id: 'chat', path: '/ws/chat' });
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(`${server.adminUrl}/`);
    await expect(page.getByTestId('token-form')).toBeVisible();
    await expect(page.getByTestId('connections')).toHaveCount(0);
    await expect(page.getByTestId('mocks')).toHaveCount(0);

    await page.getByTestId('token-input').fill('wrong');
    await page.getByTestId('token-submit').click();
    await expect(page.getByTestId('token-error')).toContainText('The token was refused (401)');
    await expect(page.getByTestId('connections')).toHaveCount(0);

    await page.getByTestId('token-input').fill('s3cret');
    await page.getByTestId('token-submit').click();
    await expect(page.getByTestId('stream-status')).toHaveText('live');
    await expect(page.locator('[data-testid="mock-row"][data-id="chat"]')).toBeVisible();
    const c = await connect(`${server.url}/ws/chat`);
    await expect(page.getByTestId('conn-row')).toHaveCount(1);
    c.ws.terminate();
    // The token travelled as a header only.
    expect(requests.filter((u) => u.includes('s3cret') || u.includes('wrong'))).toEqual([]);
  } finally {
    await server.close();
  }
});

test('the page works under a basePath when the handler is mounted in Express', async ({ page }) => {
  const server = await startServer();
  server.websocket({ id: 'chat', path: '/ws/chat', echoMode: true });
  const app = express();
  const handler = createAdminHandler(server, { basePath: '/__wsmock' });
  app.use(handler);
  app.get('/', (_req, res) => void res.send('the app'));
  const http: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  try {
    const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    await page.goto(`${base}/__wsmock/`);
    await expect(page.getByTestId('stream-status')).toHaveText('live');
    const c = await connect(`${server.url}/ws/chat`);
    const [info] = server.connections.list();
    const row = page.locator(`[data-testid="conn-row"][data-id="${info!.id}"]`);
    await expect(row).toBeVisible();
    await row.click();
    await page.getByTestId('send-input').fill('through express');
    await page.getByTestId('send-submit').click();
    expect(await c.waitForCount(1)).toEqual(['through express']);
    // Without the trailing slash too.
    await page.goto(`${base}/__wsmock`);
    await expect(page.getByTestId('stream-status')).toHaveText('live');
    await expect(page.getByTestId('conn-row')).toHaveCount(1);
    c.ws.terminate();
  } finally {
    handler.close();
    http.closeAllConnections();
    await new Promise((resolve) => http.close(resolve));
    await server.close();
  }
});

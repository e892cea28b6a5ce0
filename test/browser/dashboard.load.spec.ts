import { spawn, type ChildProcess } from 'node:child_process';
import { expect, test } from '@playwright/test';
import { startServer, type MockServer } from './helpers.js';

const COUNT = 10_000;
const RATE = 1000;

/** Starts COUNT clients in another process; the first sends RATE frames a second. */
function manyClients(url: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [new URL('./clients.mjs', import.meta.url).pathname, url, String(COUNT), String(RATE)], { stdio: ['pipe', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d;
      if (out.includes(`open ${COUNT}\n`)) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`clients exited with ${code}: ${out}`)));
  });
}

let server: MockServer;
let clients: ChildProcess | undefined;
test.afterEach(async () => {
  clients?.stdin!.end();
  await server.close();
});

test(`the page stays usable with ${COUNT} open connections and ${RATE} frames a second on the watched one`, async ({ page }) => {
  test.setTimeout(180_000);
  server = await startServer();
  server.websocket({ id: 'crowd', path: '/crowd', echoMode: false });
  clients = await manyClients(`${server.url}/crowd`);
  expect(server.stats().activeConnections).toBe(COUNT);

  await page.goto(`${server.adminUrl}/`);
  await expect(page.getByTestId('conn-count')).toHaveText(String(COUNT), { timeout: 20_000 });
  // One page of rows in the DOM, not ten thousand.
  await expect(page.getByTestId('conn-row')).toHaveCount(50);
  await expect(page.getByTestId('conn-range')).toHaveText(`1–50 of ${COUNT}`);

  // Watch the busy connection: its frames stream in while the rest stays usable.
  await page.locator('[data-testid="conn-row"][data-id="conn-1"]').click();
  await expect(page.getByTestId('frames-live')).toBeVisible();
  await expect(page.getByTestId('frame')).toHaveCount(200, { timeout: 10_000 });
  await expect(page.getByText(/Showing the last 200 of \d+ frames kept/)).toBeVisible();

  await page.getByTestId('page-next').click();
  await expect(page.getByTestId('conn-range')).toHaveText(`51–100 of ${COUNT}`);
  await page.getByTestId('conn-filter').fill('conn-9999');
  await expect(page.getByTestId('conn-row')).toHaveCount(1);
  await expect(page.getByTestId('conn-row')).toHaveAttribute('data-id', 'conn-9999');
  await page.getByTestId('conn-filter').fill('');
  await expect(page.getByTestId('conn-range')).toHaveText(`1–50 of ${COUNT}`);

  // Counts of the watched connection move in the table, and the rate chart sees the traffic.
  const watched = page.locator('[data-testid="conn-row"][data-id="conn-1"] td').nth(6);
  const before = Number(await watched.textContent());
  await expect.poll(async () => Number(await watched.textContent())).toBeGreaterThan(before);
  await expect.poll(async () => Number((await page.getByTestId('stat-rate').textContent())!.replace(/[^\d]/g, ''))).toBeGreaterThan(100);

  // A close among ten thousand leaves the table.
  await server.connections.close('conn-42', { code: 1000, reason: 'one less' });
  await expect(page.getByTestId('conn-count')).toHaveText(String(COUNT - 1));
});

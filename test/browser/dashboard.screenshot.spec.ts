// Writes docs/dashboard.png, the picture of the dashboard in docs/dashboard.md: a few mocks
// of different types, clients talking, one connection's frames open.
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { Client, connect, startServer } from './helpers.js';

const OUT = fileURLToPath(new URL('../../docs/dashboard.png', import.meta.url));

test('the README screenshot', async ({ page }) => {
  const server = await startServer();
  const clients: Client[] = [];
  let timer: NodeJS.Timeout | undefined;
  try {
    server.websocket({ id: 'chat', name: 'Chat room', path: '/ws/chat', echoMode: true });
    server.websocket({ id: 'prices', name: 'Price feed', path: '/ws/prices', onConnection: (conn) => void conn.send({ type: 'hello', symbols: ['ACME', 'INIT'] }) });
    server.jsonrpc('/rpc', { id: 'calc', name: 'Calculator', methods: { add: { result: 3 } } });
    server.graphql({ id: 'api', path: '/graphql' });
    const legacy = server.websocket({ id: 'legacy', path: '/ws/v1' });
    await legacy.disable();

    for (let i = 0; i < 6; i++) clients.push(await connect(`${server.url}/ws/chat?user=user-${i + 1}`));
    for (let i = 0; i < 3; i++) clients.push(await connect(`${server.url}/ws/prices`));
    clients.push(await connect(`${server.url}/rpc`));
    let n = 0;
    timer = setInterval(() => {
      n++;
      // Chat that comes and goes, so the chart has a shape.
      const busy = Math.sin(n / 8) > 0 ? 1 : 3;
      for (const [i, c] of clients.slice(0, 6).entries()) if ((n + i) % busy === 0) c.ws.send(JSON.stringify({ type: 'message', from: `user-${i + 1}`, text: `hello #${n}` }));
      clients[9]!.ws.send(JSON.stringify({ jsonrpc: '2.0', id: n, method: 'add', params: [1, 2] }));
    }, 40);

    await page.goto(`${server.adminUrl}/`);
    await expect(page.getByTestId('conn-count')).toHaveText('10');
    await page.locator('[data-testid="conn-row"][data-id="conn-1"]').click();
    await expect(page.getByTestId('frames-live')).toBeVisible();
    await page.getByTestId('send-type').selectOption('json');
    await page.getByTestId('send-input').fill('{"type":"notice","text":"maintenance at 18:00"}');
    await expect(page.getByTestId('frame')).not.toHaveCount(0);
    // A chart with some history: wait for stats samples rather than for time.
    await expect.poll(async () => ((await page.locator('svg.chart polyline').getAttribute('points')) ?? '').split(' ').filter(Boolean).length, { timeout: 20_000 }).toBeGreaterThanOrEqual(8);
    await page.screenshot({ path: OUT, fullPage: false });
  } finally {
    clearInterval(timer);
    for (const c of clients) c.ws.terminate();
    await server.close();
  }
});

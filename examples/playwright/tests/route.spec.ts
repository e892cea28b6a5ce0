// Routing a page: the app keeps its production WebSocket URL
// (wss://api.example.com/chat, a host the test machine cannot reach), and
// route() carries the page's socket to the wsmock fixture's server, where the
// mock at /chat sees a real connection. README's "Routing a page" shows this test.
import { route } from 'wsmock/playwright';
import { expect, test } from './fixtures.js';

test('the page keeps its production URL; route() carries its socket to the mock', async ({ page, wsmock, appUrl }) => {
  const chat = wsmock.websocket('/chat', { echoMode: false });
  await route(wsmock, page, 'wss://api.example.com/**');
  await page.goto(`${appUrl}?ws=wss://api.example.com/chat`);

  const conn = await chat.waitForConnection();
  await expect(conn).toReceiveMessage({ type: 'hello', userAgent: expect.stringContaining('Chrome') });
  await conn.send({ type: 'chat', from: 'server', text: 'routed' });
  await expect(page.getByTestId('messages')).toContainText('server: routed');
  await conn.close({ code: 4000, reason: 'bye' });
  await expect(page.getByTestId('status')).toHaveText('closed 4000 bye');
});

// Migration example: a test written with Playwright's page.routeWebSocket
//
//   await page.routeWebSocket('ws://localhost:8080/chat', (ws) => {
//     ws.onMessage((message) => {
//       if (JSON.parse(String(message)).type === 'hello') ws.send(JSON.stringify({ type: 'chat', from: 'bot', text: 'welcome' }));
//     });
//   });
//   await page.goto(appUrl);
//
// with the wsmock fixture: the page connects to a real server (the app is
// pointed at mock.url), and the test holds the connection.
import { expect, test } from './fixtures.js';

test('the bot welcomes the page once it says hello', async ({ page, wsmock, appUrl }) => {
  const chat = wsmock.websocket('/chat', {
    matchers: [
      {
        match: { type: 'json', path: '$.type', value: 'hello' },
        response: { type: 'json', value: { type: 'chat', from: 'bot', text: 'welcome' } },
      },
    ],
  });
  await page.goto(`${appUrl}?ws=${encodeURIComponent(chat.url)}`); // was: page.routeWebSocket(url, handler)
  const conn = await chat.waitForConnection();
  await expect(conn).toReceiveMessage(expect.objectContaining({ type: 'hello' }));
  await expect(page.getByTestId('messages')).toContainText('bot: welcome');
});

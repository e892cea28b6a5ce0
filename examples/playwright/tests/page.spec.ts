import { expect, test } from './fixtures.js';

test('the page says hello, renders what the test pushes, and sends what the user types', async ({ page, wsmock, appUrl }) => {
  const chat = wsmock.websocket('/chat', { echoMode: false });
  await page.goto(`${appUrl}?ws=${encodeURIComponent(chat.url)}`);

  const conn = await chat.waitForConnection();
  await expect(page.getByTestId('status')).toHaveText('open');
  await expect(conn).toReceiveMessage({ type: 'hello', userAgent: expect.stringContaining('Chrome') });

  await conn.send({ type: 'chat', from: 'server', text: 'Hello from the test' });
  await expect(page.getByTestId('messages')).toContainText('server: Hello from the test');

  await page.getByLabel('message').fill('hi there');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(conn).toReceiveMessage({ type: 'chat', text: 'hi there' });
  await expect(conn).not.toReceiveMessage(undefined, { within: 100 });
});

test('the page shows how the server closed', async ({ page, wsmock, appUrl }) => {
  const chat = wsmock.websocket('/chat', { echoMode: false });
  await page.goto(`${appUrl}?ws=${encodeURIComponent(chat.url)}`);
  const conn = await chat.waitForConnection();
  await conn.close({ code: 4000, reason: 'maintenance' });
  await expect(page.getByTestId('status')).toHaveText('closed 4000 maintenance');
  await expect(conn).toBeClosed({ code: 4000 });
});

test('a broadcast reaches every open page', async ({ context, wsmock, appUrl }) => {
  const chat = wsmock.websocket('/chat', { echoMode: false });
  const pages = [await context.newPage(), await context.newPage()];
  for (const page of pages) await page.goto(`${appUrl}?ws=${encodeURIComponent(chat.url)}`);
  await expect(chat).toHaveConnections(2);
  expect(chat.broadcast({ type: 'chat', from: 'ops', text: 'deploying' })).toBe(2);
  for (const page of pages) await expect(page.getByTestId('messages')).toContainText('ops: deploying');
});

test.describe('the worker-scoped server', () => {
  test.afterEach(({ wsmockWorker }) => wsmockWorker.reset());

  test('is shared by the tests of a worker and keeps its port', async ({ page, wsmockWorker, appUrl }) => {
    const feed = wsmockWorker.websocket('/feed', { echoMode: false });
    await page.goto(`${appUrl}?ws=${encodeURIComponent(feed.url)}`);
    const conn = await feed.waitForConnection();
    await expect(conn).toReceiveMessage(expect.objectContaining({ type: 'hello' }));
    await conn.send({ type: 'chat', from: 'worker', text: `port ${wsmockWorker.port}` });
    await expect(page.getByTestId('messages')).toContainText(`worker: port ${wsmockWorker.port}`);
  });
});

test('a failing matcher shows a diff and the recent journal', async ({ page, wsmock, appUrl }) => {
  const chat = wsmock.websocket('/chat', { echoMode: false });
  await page.goto(`${appUrl}?ws=${encodeURIComponent(chat.url)}`);
  const conn = await chat.waitForConnection();
  const error = (await expect(conn).toReceiveMessage({ type: 'goodbye' }).catch((err: unknown) => err)) as Error;
  const text = error.message.replace(/\x1b\[[0-9;]*m/g, '');
  expect(text).toContain(`The next message on ${conn.id} is not the expected one.`);
  expect(text).toMatch(/-\s+"type": "goodbye"/);
  expect(text).toMatch(/\+\s+"type": "hello"/);
  expect(text).toContain(`Recent messages on ${conn.id} (/chat):\n  ← in  {"type":"hello"`);
});

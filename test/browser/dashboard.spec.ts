import { expect, test, type Page } from '@playwright/test';
import { Client, connect, refusedWith, startServer, type MockServer } from './helpers.js';

let server: MockServer;
const clients: Client[] = [];
test.beforeEach(async () => {
  server = await startServer();
  server.websocket({ id: 'chat', path: '/ws/chat', echoMode: true });
  server.websocket({ id: 'feed', path: '/ws/feed', echoMode: false });
});
test.afterEach(async () => {
  for (const c of clients.splice(0)) c.ws.terminate();
  await server.close();
});

async function open(page: Page): Promise<void> {
  await page.goto(`${server.adminUrl}/`);
  await expect(page.getByTestId('stream-status')).toHaveText('live');
}

async function client(path: string): Promise<Client> {
  const c = await connect(`${server.url}${path}`);
  clients.push(c);
  return c;
}

const row = (page: Page, id: string) => page.locator(`[data-testid="conn-row"][data-id="${id}"]`);

test('a client that connects shows up in the table within a second, and leaves it on close', async ({ page }) => {
  await open(page);
  await expect(page.getByTestId('conn-row')).toHaveCount(0);
  const c = await client('/ws/chat?room=1');
  const [info] = server.connections.list();
  await expect(row(page, info!.id)).toBeVisible({ timeout: 1000 });
  await expect(row(page, info!.id)).toContainText('/ws/chat?room=1');
  await expect(row(page, info!.id)).toContainText('127.0.0.1');
  await expect(page.getByTestId('conn-count')).toHaveText('1');
  c.ws.close(1000);
  await c.closed;
  await expect(row(page, info!.id)).toHaveCount(0, { timeout: 1000 });
  await expect(page.getByTestId('stat-total')).toHaveText('1');
});

test('issue 22 item 6: before any traffic the chart draws its axes and says "no messages yet"; the text goes once messages flow', async ({ page }) => {
  await open(page);
  await expect(page.getByTestId('chart-axis')).toBeAttached();
  await expect(page.getByTestId('chart-empty')).toHaveText('no messages yet');
  await expect(page.getByTestId('chart-empty')).toBeVisible();
  const c = await client('/ws/chat');
  c.ws.send('hello');
  await expect(page.getByTestId('stat-msgs-in')).toHaveText('1');
  await expect(page.getByTestId('chart-empty')).toHaveCount(0);
  await expect(page.getByTestId('chart-axis')).toBeAttached();
});

test('issue 22 item 6: the mocks table shows the URL a client opens (http:// for SSE)', async ({ page }) => {
  server.sse('/events', { id: 'events' });
  await open(page);
  const url = (id: string) => page.locator(`[data-testid="mock-row"][data-id="${id}"] [data-testid="mock-url"]`);
  await expect(url('chat')).toHaveText(`${server.url}/ws/chat`);
  await expect(url('events')).toHaveText(`${server.httpUrl}/events`);
});

test('frames a client sends appear in the detail panel in order, one line each: text, JSON compact, binary as hex; a click expands one', async ({ page }) => {
  await open(page);
  const c = await client('/ws/feed');
  const [info] = server.connections.list();
  // A frame from before the connection is selected comes from its journal.
  c.ws.send('before');
  await expect.poll(() => server.connections.get(info!.id)!.messages.length).toBe(1);
  await row(page, info!.id).click();
  await expect(page.getByTestId('frames-live')).toBeVisible();
  await expect(page.getByTestId('frame-body')).toHaveText(['before']);
  c.ws.send('first');
  c.ws.send(JSON.stringify({ n: 2, ok: true }));
  c.ws.send(Buffer.from([0xde, 0xad, 0xbe, 0xef]));
  for (let i = 4; i <= 10; i++) c.ws.send(`frame ${i}`);
  const bodies = page.getByTestId('frame-body');
  await expect(bodies).toHaveText(['before', 'first', '{"n":2,"ok":true}', 'de ad be ef', 'frame 4', 'frame 5', 'frame 6', 'frame 7', 'frame 8', 'frame 9', 'frame 10']);
  await expect(page.getByTestId('frame').first()).toHaveAttribute('data-direction', 'in');
  const json = page.getByTestId('frame').nth(2);
  await expect(json).toHaveAttribute('data-kind', 'json');
  await expect(page.getByTestId('frame').nth(3)).toHaveAttribute('data-kind', 'binary');
  // Every row is one line: as tall as the first, a one-word text frame.
  const height = async (i: number) => (await page.getByTestId('frame').nth(i).boundingBox())!.height;
  const line = await height(0);
  expect(line).toBeLessThan(30);
  expect(await height(2)).toBe(line);
  // A click expands the JSON frame, pretty-printed over several lines; another folds it back.
  await json.locator('.frame-line').click();
  await expect(json).toHaveAttribute('data-expanded', 'true');
  await expect(json.getByTestId('frame-body')).toHaveText('{\n  "n": 2,\n  "ok": true\n}');
  expect(await height(2)).toBeGreaterThan(line * 3);
  await json.locator('.frame-line').click();
  await expect(json.getByTestId('frame-body')).toHaveText('{"n":2,"ok":true}');
  expect(await height(2)).toBe(line);
});

test('a message typed in the send box arrives at the client; invalid JSON or base64 is refused and nothing is sent', async ({ page }) => {
  await open(page);
  const c = await client('/ws/feed');
  const [info] = server.connections.list();
  await row(page, info!.id).click();

  await page.getByTestId('send-type').selectOption('json');
  await page.getByTestId('send-input').fill('{"broken": ');
  await page.getByTestId('send-submit').click();
  await expect(page.getByTestId('send-error')).toContainText('Not valid JSON, nothing sent');
  await page.getByTestId('send-type').selectOption('binary');
  await page.getByTestId('send-input').fill('not base64!');
  await page.getByTestId('send-submit').click();
  await expect(page.getByTestId('send-error')).toContainText('Not valid base64');

  await page.getByTestId('send-type').selectOption('text');
  await page.getByTestId('send-input').fill('hello from the page');
  await page.getByTestId('send-submit').click();
  // The first frame the client gets is the valid one: the refused ones never left.
  expect(await c.waitForCount(1)).toEqual(['hello from the page']);
  await page.getByTestId('send-type').selectOption('json');
  await page.getByTestId('send-input').fill('{"type":"ping","n":1}');
  await page.getByTestId('send-submit').click();
  await page.getByTestId('send-type').selectOption('binary');
  await page.getByTestId('send-input').fill('AAEC/w==');
  await page.getByTestId('send-submit').click();
  expect(await c.waitForCount(3)).toEqual(['hello from the page', '{"type":"ping","n":1}', '<binary 000102ff>']);
  // What the page sent shows in its own frame list too.
  await expect(page.locator('[data-testid="frame"][data-direction="out"]')).toHaveCount(3);
});

test('close with 4000 "bye" closes the client with exactly that', async ({ page }) => {
  await open(page);
  const c = await client('/ws/chat');
  const [info] = server.connections.list();
  await row(page, info!.id).click();
  await page.getByTestId('close-code').fill('4000');
  await page.getByTestId('close-reason').fill('bye');
  await page.getByTestId('close-submit').click();
  expect(await c.closed).toEqual({ code: 4000, reason: 'bye' });
  await expect(page.getByTestId('detail-closed')).toHaveText('Closed 4000 "bye" by the server.');
  await expect(row(page, info!.id)).toHaveCount(0);
});

test('the toggle disables a mock (new handshakes 503) and enables it again', async ({ page }) => {
  await open(page);
  const toggle = page.getByTestId('toggle-chat');
  await expect(toggle).toBeChecked();
  await toggle.click();
  await expect(toggle).not.toBeChecked();
  expect(server.mocks.get('chat')!.enabled).toBe(false);
  expect(await refusedWith(`${server.url}/ws/chat`)).toBe(503);
  await toggle.click();
  await expect(toggle).toBeChecked();
  const c = await client('/ws/chat');
  c.ws.send('back');
  expect(await c.waitForCount(1)).toEqual(['back']);
});

test('the broadcast box reaches every client of the chosen mock', async ({ page }) => {
  await open(page);
  const a = await client('/ws/chat');
  const b = await client('/ws/chat');
  const other = await client('/ws/feed');
  await expect(page.getByTestId('conn-row')).toHaveCount(3);
  await page.getByTestId('broadcast-mock').selectOption('chat');
  await page.getByTestId('broadcast-input').fill('to all of chat');
  await page.getByTestId('broadcast-submit').click();
  await expect(page.getByTestId('broadcast-status')).toHaveText('Sent to 2 connection(s).');
  expect(await a.waitForCount(1)).toEqual(['to all of chat']);
  expect(await b.waitForCount(1)).toEqual(['to all of chat']);
  expect(other.received).toEqual([]);
});

test('issue 24: the channel kits show in the mocks table with their type and URL, and a Phoenix connection its type and frames', async ({ page }) => {
  const pusher = server.pusher({ id: 'pusher', key: 'app-key' });
  const cable = server.actioncable({ id: 'cable' });
  const phoenix = server.phoenix({ id: 'phoenix' });
  const supabase = server.supabase({ id: 'supabase' });
  await open(page);
  const mockRow = (id: string) => page.locator(`[data-testid="mock-row"][data-id="${id}"]`);
  for (const [id, type, url] of [
    ['pusher', 'pusher', pusher.url],
    ['cable', 'actioncable', cable.url],
    ['phoenix', 'phoenix', phoenix.url],
    ['supabase', 'supabase', supabase.url],
  ] as const) {
    await expect(mockRow(id).locator('.tag')).toHaveText(type);
    await expect(mockRow(id).getByTestId('mock-url')).toHaveText(url);
  }
  const c = await client('/socket/websocket?vsn=2.0.0');
  const [info] = server.connections.list();
  await expect(row(page, info!.id)).toContainText('phoenix');
  await row(page, info!.id).click();
  await expect(page.getByTestId('frames-live')).toBeVisible();
  c.ws.send(JSON.stringify(['1', '1', 'room:lobby', 'phx_join', {}]));
  await c.waitForCount(1);
  await expect(page.getByTestId('frame-body')).toHaveText(['["1","1","room:lobby","phx_join",{}]', '["1","1","room:lobby","phx_reply",{"status":"ok","response":{}}]']);
  await expect(page.getByTestId('frame').nth(1)).toHaveAttribute('data-direction', 'out');
});

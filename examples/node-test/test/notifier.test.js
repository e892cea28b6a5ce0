import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import { createMockServer } from 'wsmock';
import { watchNotifications } from '../src/notifier.js';

let server;
before(async () => {
  server = await createMockServer();
});
afterEach(() => server.reset());
after(() => server.close());

// The client asks for the notify.v1 subprotocol; `ws` drops a connection whose
// server picks none, so the mock must offer it.
const notifyMock = () => server.websocket('/notify', { subprotocols: ['notify.v1'], echoMode: false });

test('acknowledges each notification it shows', async () => {
  const mock = notifyMock();
  const shown = [];
  const watcher = watchNotifications(mock.url, { onNotification: (n) => shown.push(n.text) });
  const conn = await mock.waitForConnection();
  assert.equal(conn.subprotocol, 'notify.v1');

  await conn.send({ id: 1, text: 'build passed' });
  await conn.send({ id: 2, text: 'review requested' });
  const acks = [await conn.waitForMessage(), await conn.waitForMessage()];
  assert.deepEqual(acks.map((m) => m.json), [{ type: 'ack', id: 1 }, { type: 'ack', id: 2 }]);
  assert.deepEqual(shown, ['build passed', 'review requested']);
  watcher.stop();
  assert.equal((await conn.waitForClose()).code, 1005);
});

test('reconnects after the mock is updated', async () => {
  const mock = notifyMock();
  const watcher = watchNotifications(mock.url, { onNotification: () => {} });
  const first = await mock.waitForConnection();
  assert.equal(await mock.update({ name: 'v2' }), 1);
  assert.deepEqual(await first.waitForClose(), { code: 1012, reason: 'mock updated', by: 'server' });
  const second = await mock.waitForConnection();
  assert.notEqual(second.id, first.id);
  watcher.stop();
});

test('a timeout says what it waited for', async () => {
  const mock = notifyMock();
  const watcher = watchNotifications(mock.url, { onNotification: () => {} });
  const conn = await mock.waitForConnection();
  await assert.rejects(conn.waitForMessage({ type: 'json', path: '$.type', value: 'ack' }, { timeout: 50 }), {
    code: 'WSMOCK_ERR_TIMEOUT',
    message: /Timed out after 50 ms waiting for a message matching json \$\.type "ack"/,
  });
  watcher.stop();
});

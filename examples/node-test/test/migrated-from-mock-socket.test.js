// Migration example: a test written for mock-socket, with wsmock. mock-socket
// replaced the global WebSocket with a fake; here the code under test
// (src/notifier.js) keeps its real `ws` client and connects to a real server.
//
//   mock-socket                                 wsmock
//   new Server('ws://localhost:8080')       ->  server.websocket('/notify', …) on createMockServer()
//   server.on('connection', socket => …)    ->  await mock.waitForConnection() (or onConnection)
//   socket.send(data)                       ->  await conn.send(data)
//   socket.on('message', data => …)         ->  await conn.waitForMessage(matcher)
//   server.stop()                           ->  await server.close()
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createMockServer } from 'wsmock';
import { watchNotifications } from '../src/notifier.js';

let server;
before(async () => {
  server = await createMockServer();
});
after(() => server.close());

test('shows each notification and acknowledges it', async () => {
  const mock = server.websocket('/notify', { subprotocols: ['notify.v1'], echoMode: false });
  const shown = [];
  const watcher = watchNotifications(mock.url, { onNotification: (note) => shown.push(note.text) });

  const conn = await mock.waitForConnection();
  await conn.send({ id: 1, text: 'build passed' });
  const ack = await conn.waitForMessage({ type: 'json', path: '$.type', value: 'ack' });

  assert.deepEqual(ack.json, { type: 'ack', id: 1 });
  assert.deepEqual(shown, ['build passed']);
  watcher.stop();
});

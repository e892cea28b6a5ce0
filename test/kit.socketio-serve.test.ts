import { afterEach, expect, it } from 'vitest';
import { startServe, type Serving } from './helpers/cli.js';
import { scratchDir } from './helpers/files.js';
import { connected, ioClient } from './helpers/socketio.js';

// `wsmock serve` with a config file holding a Socket.IO mock: the command a
// user runs outside a test suite, reached by a real socket.io-client.
const { file } = scratchDir('wsmock-socketio-');
const running: Serving[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});

it('serves a Socket.IO mock from a YAML config file', async () => {
  const config = file(
    'socketio.yaml',
    [
      'version: "1.0"',
      'mocks:',
      '  - id: chat',
      '    type: socketio',
      '    socketio:',
      '      path: /socket.io/',
      '      events:',
      '        ping: { ack: [pong] }',
      '        join: { emit: [joined, { ok: true }] }',
      '      namespaces:',
      "        /admin: { refuse: { message: 'admins only' } }",
    ].join('\n'),
  );
  const s = await startServe(['--config', config, '--port', '0', '--admin-port', '0']);
  running.push(s);
  expect(s.output()).toMatch(/chat +ws:\/\/127\.0\.0\.1:\d+ \(socketio, path \/socket\.io\/\)/);
  const client = await connected(ioClient(s.wsUrl));
  expect(await client.emitWithAck('ping')).toBe('pong');
  const joined = new Promise((resolve) => client.once('joined', resolve));
  client.emit('join');
  expect(await joined).toEqual({ ok: true });
  await expect(connected(ioClient(`${s.wsUrl}/admin`))).rejects.toMatchObject({ message: 'admins only' });
});

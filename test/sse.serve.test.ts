//
// An SSE mock from a config file, served by `wsmock serve` as users run it:
// the start-up summary names its http URL, an EventSource gets its events,
// and the admin API lists the stream.
//
import { afterEach, expect, it } from 'vitest';
import { startServe, type Serving } from './helpers/cli.js';
import { scratchDir } from './helpers/files.js';
import { closeSseClients, SseClient } from './helpers/sse.js';

let serving: Serving | undefined;
afterEach(async () => {
  closeSseClients();
  await serving?.stop();
  serving = undefined;
});

it('serves an SSE mock from a config file; the admin API lists its stream', async () => {
  const { file } = scratchDir('wsmock-sse-');
  const config = file(
    'sse.yaml',
    [
      'version: "1.0"',
      'mocks:',
      '  - id: ticker',
      '    type: sse',
      '    sse:',
      '      path: /ticker',
      '      retry: 2000',
      '      events:',
      '        - { event: tick, id: "{{sequence}}", data: { n: "{{sequence}}", user: "{{connection.query.user}}" } }',
      '',
    ].join('\n'),
  );
  serving = await startServe(['--config', config, '--port', '0', '--admin-port', '0']);
  const url = serving.wsUrl.replace(/^ws/, 'http');
  expect(serving.output()).toContain(`ticker               ${url}/ticker (sse)`);
  const client = new SseClient(`${url}/ticker?user=ada`, ['tick']);
  expect(await client.next()).toEqual({ type: 'tick', data: '{"n":"1","user":"ada"}', lastEventId: '1' });
  const listed = await (await fetch(`${serving.adminUrl}/sse/connections`)).json();
  expect(listed.connections).toHaveLength(1);
  expect(listed.connections[0]).toMatchObject({ type: 'sse', mockId: 'ticker', url: '/ticker?user=ada' });
  expect(listed.stats).toMatchObject({ totalConnections: 1, activeConnections: 1, connectionsByMock: { ticker: 1 } });
});

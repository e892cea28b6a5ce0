import { describe, expect, it } from 'vitest';
import { connect } from './helpers/client.js';
import { useMockServer } from './helpers/server.js';

// conn.data: per-connection state shared by the test, onConnection, respond
// functions and templates.
const server = useMockServer();

describe('conn.data', () => {
  it('is written by onConnection and a respond function and read by templates', async () => {
    const mock = server.websocket('/count', {
      onConnection: (conn) => {
        conn.data.user = conn.query.user;
        conn.data.count = 0;
      },
      matchers: [
        {
          match: { type: 'exact', value: 'inc' },
          respond: (_message, conn) => {
            conn.data.count = (conn.data.count as number) + 1;
            return undefined;
          },
        },
        { match: { type: 'exact', value: 'show' }, response: { type: 'json', value: { user: '{{connection.data.user}}', count: '{{connection.data.count}}' } } },
        { match: { type: 'exact', value: 'text' }, response: { type: 'text', value: '{{connection.data.user}} has {{connection.data.count}}; missing "{{connection.data.nope}}"' } },
      ],
    });
    const client = await connect(`${mock.url}?user=ada`);
    const conn = await mock.waitForConnection();
    expect(conn.data).toEqual({ user: 'ada', count: 0 });
    client.send('inc');
    client.send('inc');
    client.send('show');
    expect(JSON.parse((await client.frame()).text)).toEqual({ user: 'ada', count: '2' });
    conn.data.user = 'grace';
    client.send('text');
    expect((await client.frame()).text).toBe('grace has 2; missing ""');
  });

  it('is a plain object per connection, not shared', async () => {
    const mock = server.websocket('/own');
    await connect(mock.url);
    await connect(mock.url);
    const [a, b] = [await mock.waitForConnection(), await mock.waitForConnection()];
    a.data.x = 1;
    expect(b.data).toEqual({});
    expect(Object.getPrototypeOf(a.data)).toBe(Object.prototype);
  });
});

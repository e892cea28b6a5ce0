//
// The rpc-websockets client for the JSON-RPC kit's tests: connected, with
// reconnection off unless asked, and closed after each test.
//
import { once } from 'node:events';
import { Client } from 'rpc-websockets';
import { afterEach } from 'vitest';

const open = new Set<Client>();

afterEach(() => {
  for (const client of open) client.close();
  open.clear();
});

/** An rpc-websockets client connected to `url`. */
export async function rpcClient(url: string, options: { reconnect?: boolean; reconnect_interval?: number } = {}): Promise<Client> {
  const client = new Client(url, { reconnect: false, ...options });
  open.add(client);
  await once(client, 'open');
  return client;
}

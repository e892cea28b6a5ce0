//
// The rpc-websockets client for the JSON-RPC kit's tests: connected, with
// reconnection off unless asked, and closed after each test.
//
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
  await new Promise((resolve, reject) => {
    client.once('open', resolve);
    client.once('error', reject);
  });
  return client;
}

/** Resolves with the arguments of the client's next `event` (its events are eventemitter3's, which `events.once` does not type). */
export function next(client: Client, event: string): Promise<unknown[]> {
  return new Promise((resolve) => client.once(event, (...args: unknown[]) => resolve(args)));
}

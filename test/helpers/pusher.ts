//
// pusher-js clients for the Pusher kit's tests: made against a mock's
// clientOptions, disconnected after each test, with promises for what a test
// waits on (a state, a channel's event) instead of sleeps.
//
import PusherModule, { type Channel, type Options } from 'pusher-js';

type PusherClass = typeof PusherModule.default;
/** pusher-js's Node build is `module.exports = Pusher`; its typings describe an ES module with a default export. */
export const Pusher: PusherClass = (PusherModule as { default?: PusherClass }).default ?? (PusherModule as unknown as PusherClass);
/** A pusher-js client. */
export type Pusher = InstanceType<PusherClass>;
import type { PusherMock } from '../../src/index.js';

const live = new Set<Pusher>();

/**
 * Disconnects every client made by {@link pusherClient}. Call it in an
 * `afterEach` registered after `useMockServer()` (hooks run last-registered
 * first): a client still connected when the server resets would reconnect
 * into the next test's mock.
 */
export function disconnectPusherClients(): void {
  for (const client of live) client.disconnect();
  live.clear();
}

/** A pusher-js client (its Node build) for `mock`, with `options` over the mock's clientOptions. */
export function pusherClient(mock: PusherMock, options: Partial<Options> = {}, key = mock.key): Pusher {
  const client = new Pusher(key, { ...mock.clientOptions, enabledTransports: ['ws'], ...options } as Options);
  live.add(client);
  return client;
}

/** Resolves with the data of the next `event` on `target` (a channel or a client's connection). */
export function next<T = any>(target: Channel | Pusher['connection'], event: string): Promise<T> {
  return new Promise((resolve) => {
    const handler = (data: T) => {
      target.unbind(event, handler);
      resolve(data);
    };
    target.bind(event, handler);
  });
}

/** Resolves once the client's connection is in `state`. */
export function inState(client: Pusher, state: string): Promise<void> {
  if (client.connection.state === state) return Promise.resolve();
  return new Promise((resolve) => {
    const handler = ({ current }: { current: string }) => {
      if (current !== state) return;
      client.connection.unbind('state_change', handler);
      resolve();
    };
    client.connection.bind('state_change', handler);
  });
}

/** Subscribes and resolves with the channel once the server confirmed it (rejects on a subscription error). */
export function subscribed(client: Pusher, name: string): Promise<Channel> {
  const channel = client.subscribe(name);
  return new Promise((resolve, reject) => {
    channel.bind('pusher:subscription_succeeded', () => resolve(channel));
    channel.bind('pusher:subscription_error', (error: unknown) => reject(Object.assign(new Error(`subscription to ${name} failed`), { error })));
  });
}

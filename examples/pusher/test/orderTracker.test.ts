import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { createMockServer, type MockServer, type PusherMock } from 'wsmock';
import { trackOrder, type OrderTracker, type RealtimeConfig } from '../src/orderTracker.js';

let server: MockServer;
let tracker: OrderTracker | undefined;
beforeAll(async () => {
  server = await createMockServer();
});
afterEach(async () => {
  tracker?.close();
  await server.reset();
});
afterAll(() => server.close());

/** The app's realtime config pointed at the mock: its host, port and own auth endpoint. */
const configFor = (app: PusherMock): RealtimeConfig => ({ key: app.key, wsHost: app.clientOptions.wsHost, wsPort: app.clientOptions.wsPort, authEndpoint: app.authUrl });

/** Resolves with the next status the tracker gets. */
const nextStatus = (tracker: OrderTracker) => new Promise<string>((resolve) => tracker.onStatus(resolve));

it('follows the order statuses the backend broadcasts on its private channel', async () => {
  const app = server.pusher({ key: 'app-key', secret: 'app-secret' });
  tracker = trackOrder(configFor(app), 7);
  const subscription = await app.waitForSubscription('private-orders.7');
  expect(subscription.socketId).toMatch(/^\d+\.\d+$/);
  const paid = nextStatus(tracker);
  app.trigger('private-orders.7', 'App\\Events\\OrderStatusUpdated', { status: 'paid' });
  expect(await paid).toBe('paid');
  const shipped = nextStatus(tracker);
  app.trigger('private-orders.7', 'App\\Events\\OrderStatusUpdated', { status: 'shipped' });
  expect(await shipped).toBe('shipped');
  expect(tracker.statuses).toEqual(['paid', 'shipped']);
});

it('whispers to support when the customer types', async () => {
  const app = server.pusher({ key: 'app-key', secret: 'app-secret' });
  tracker = trackOrder(configFor(app), 8);
  await app.waitForSubscription('private-orders.8');
  tracker.typing();
  const whisper = await app.waitForClientEvent('client-typing', { channel: 'private-orders.8' });
  expect(whisper.data).toEqual({ orderId: 8 });
});

it('keeps following after the realtime server restarts (the mock closes its clients with 1012)', async () => {
  const app = server.pusher({ key: 'app-key', secret: 'app-secret' });
  tracker = trackOrder(configFor(app), 9);
  await app.waitForSubscription('private-orders.9');
  await app.update({ activityTimeout: 60 });
  await app.waitForSubscription('private-orders.9', { timeout: 5000 });
  const delivered = nextStatus(tracker);
  app.trigger('private-orders.9', 'App\\Events\\OrderStatusUpdated', { status: 'delivered' });
  expect(await delivered).toBe('delivered');
});

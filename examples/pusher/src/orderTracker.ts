// The app's order tracker, as a Laravel front end writes it: Laravel Echo
// configured for Reverb (the Pusher protocol), a private channel per order
// authorised by the backend's auth endpoint, the `OrderStatusUpdated` event
// broadcast by the backend, and a whisper when the customer is typing a
// message to support.
import Echo from 'laravel-echo';
import PusherModule from 'pusher-js';

// pusher-js's Node build is `module.exports = Pusher`; its typings describe a default export.
type PusherClass = typeof PusherModule.default;
const Pusher: PusherClass = (PusherModule as { default?: PusherClass }).default ?? (PusherModule as unknown as PusherClass);

export interface RealtimeConfig {
  key: string;
  wsHost: string;
  wsPort: number;
  authEndpoint: string;
}

export interface OrderTracker {
  /** The statuses the order went through, in order. */
  readonly statuses: string[];
  /** Runs `listener` after each status. */
  onStatus(listener: (status: string) => void): void;
  /** Tells support the customer is typing. */
  typing(): void;
  close(): void;
}

export function trackOrder(config: RealtimeConfig, orderId: number): OrderTracker {
  const echo = new Echo<'reverb'>({
    broadcaster: 'reverb',
    key: config.key,
    wsHost: config.wsHost,
    wsPort: config.wsPort,
    wssPort: config.wsPort,
    forceTLS: false,
    enabledTransports: ['ws'],
    authEndpoint: config.authEndpoint,
    Pusher,
  } as never);
  const statuses: string[] = [];
  const listeners: Array<(status: string) => void> = [];
  const channel = echo.private(`orders.${orderId}`);
  channel.listen('OrderStatusUpdated', (event: { status: string }) => {
    statuses.push(event.status);
    listeners.forEach((listener) => listener(event.status));
  });
  return {
    statuses,
    onStatus: (listener) => listeners.push(listener),
    typing: () => channel.whisper('typing', { orderId }),
    close: () => echo.disconnect(),
  };
}

//
// The app's market-data client: it speaks Kraken's public WebSocket API as
// the API's AsyncAPI contract (kraken.asyncapi.yaml) describes it. It pings
// to check the connection, subscribes to feeds and keeps the exchange's
// status. Every request carries a `reqid`; the answer echoes it.
//
import WebSocket from 'ws';

/** What the exchange says about itself (`systemStatus`). */
export type ExchangeStatus = 'online' | 'maintenance' | 'cancel_only' | 'limit_only' | 'post_only';

/** The answer to a subscribe or unsubscribe (`subscriptionStatus`). */
export interface SubscriptionStatus {
  event: 'subscriptionStatus';
  status: 'subscribed' | 'unsubscribed' | 'error';
  reqid?: number;
  pair?: string;
  channelName?: string;
  errorMessage?: string;
  subscription?: { name: string };
}

/** A connection to the exchange. */
export interface MarketClient {
  /** The exchange's last announced status, once it said one. */
  readonly status: ExchangeStatus | undefined;
  /** Resolves with the round trip in ms when the matching pong arrives. */
  ping(): Promise<number>;
  /** Subscribes to a feed (`ticker`, `book`, …) for the pairs; resolves with the exchange's answer. */
  subscribe(name: string, pairs: string[]): Promise<SubscriptionStatus>;
  /** Calls `listener` with each status the exchange announces. */
  onStatus(listener: (status: ExchangeStatus) => void): void;
  close(): void;
}

/** Opens a connection to `url` (the exchange's public endpoint, or a mock's). Resolves once it is open. */
export async function connectMarket(url: string): Promise<MarketClient> {
  const socket = new WebSocket(url);
  const pending = new Map<number, (answer: Record<string, unknown>) => void>();
  const listeners: ((status: ExchangeStatus) => void)[] = [];
  let status: ExchangeStatus | undefined;
  let nextId = 1;

  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as Record<string, unknown>;
    if (message.event === 'systemStatus') {
      status = message.status as ExchangeStatus;
      for (const listener of listeners) listener(status);
    } else if (typeof message.reqid === 'number') {
      pending.get(message.reqid)?.(message);
      pending.delete(message.reqid);
    }
  });

  const request = (payload: Record<string, unknown>) =>
    new Promise<Record<string, unknown>>((resolve) => {
      const reqid = nextId++;
      pending.set(reqid, resolve);
      socket.send(JSON.stringify({ ...payload, reqid }));
    });

  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return {
    get status() {
      return status;
    },
    async ping() {
      const started = performance.now();
      await request({ event: 'ping' });
      return performance.now() - started;
    },
    async subscribe(name, pairs) {
      return (await request({ event: 'subscribe', pair: pairs, subscription: { name } })) as unknown as SubscriptionStatus;
    },
    onStatus(listener) {
      listeners.push(listener);
    },
    close() {
      socket.close();
    },
  };
}

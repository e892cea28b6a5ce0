// The app's price feed: an EventSource on the server's `/prices` stream.
// `price` events update the latest price per symbol; `halt` events stop a
// symbol. After a dropped stream, EventSource reconnects on its own and sends
// Last-Event-ID, so the server can resume where the app stopped.
import { EventSource } from 'eventsource';

export interface Price {
  symbol: string;
  price: number;
}

export interface PriceFeed {
  /** The latest price of each symbol. */
  readonly prices: ReadonlyMap<string, number>;
  /** Symbols the server halted. */
  readonly halted: ReadonlySet<string>;
  /** Runs `listener` after each change. */
  onChange(listener: () => void): void;
  close(): void;
}

export function openPriceFeed(url: string): PriceFeed {
  const source = new EventSource(url);
  const prices = new Map<string, number>();
  const halted = new Set<string>();
  const listeners: Array<() => void> = [];
  const changed = () => listeners.forEach((listener) => listener());
  source.addEventListener('price', (event) => {
    const { symbol, price } = JSON.parse(event.data) as Price;
    prices.set(symbol, price);
    changed();
  });
  source.addEventListener('halt', (event) => {
    halted.add(event.data);
    changed();
  });
  return {
    prices,
    halted,
    onChange: (listener) => listeners.push(listener),
    close: () => source.close(),
  };
}

// The module under test: a client for a price feed. It subscribes to symbols,
// keeps the latest price of each, and reconnects when the server restarts.
import WebSocket from 'ws';

export interface PriceFeedOptions {
  /** Delay before reconnecting after the server closed with 1012 (service restart). */
  reconnectDelay?: number;
}

export class PriceFeed {
  readonly #url: string;
  readonly #prices = new Map<string, number>();
  readonly #symbols = new Set<string>();
  readonly #reconnectDelay: number;
  #ws!: WebSocket;
  #nextId = 1;
  #closed = false;

  constructor(url: string, options: PriceFeedOptions = {}) {
    this.#url = url;
    this.#reconnectDelay = options.reconnectDelay ?? 10;
    this.#open();
  }

  subscribe(symbol: string): void {
    this.#symbols.add(symbol);
    this.#send({ type: 'subscribe', id: this.#nextId++, symbol });
  }

  unsubscribe(symbol: string): void {
    this.#symbols.delete(symbol);
    this.#send({ type: 'unsubscribe', id: this.#nextId++, symbol });
  }

  latest(symbol: string): number | undefined {
    return this.#prices.get(symbol);
  }

  close(): void {
    this.#closed = true;
    if (this.#ws.readyState === WebSocket.CONNECTING) this.#ws.once('open', () => this.#ws.close(1000, 'bye'));
    else this.#ws.close(1000, 'bye');
  }

  #open(): void {
    this.#ws = new WebSocket(this.#url);
    const resubscribe = this.#symbols.size > 0;
    this.#ws.on('open', () => {
      if (resubscribe) for (const symbol of this.#symbols) this.#send({ type: 'subscribe', id: this.#nextId++, symbol });
    });
    this.#ws.on('message', (data) => {
      const message = JSON.parse(String(data)) as { type: string; symbol: string; value: number };
      if (message.type === 'price' && this.#symbols.has(message.symbol)) this.#prices.set(message.symbol, message.value);
    });
    this.#ws.on('close', (code) => {
      if (!this.#closed && code === 1012) setTimeout(() => this.#open(), this.#reconnectDelay);
    });
    this.#ws.on('error', () => {});
  }

  // Sent once the socket is open; dropped while reconnecting (the resubscribe
  // on open restores the subscriptions).
  #send(message: object): void {
    if (this.#ws.readyState === WebSocket.OPEN) this.#ws.send(JSON.stringify(message));
    else if (this.#ws.readyState === WebSocket.CONNECTING) this.#ws.once('open', () => this.#ws.send(JSON.stringify(message)));
  }
}

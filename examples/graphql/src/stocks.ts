// The module under test: a small stock-watch client on graphql-ws. It logs in
// with a token (connectionParams), looks up a company with a query, and keeps
// the latest price of each symbol it watches from a subscription.
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

const ON_PRICE = 'subscription OnPrice($symbol: String!) { price(symbol: $symbol) }';
const GET_COMPANY = 'query GetCompany($symbol: String!) { company(symbol: $symbol) { name } }';

export class Stocks {
  readonly #client: Client;
  readonly #prices = new Map<string, number>();
  readonly #watching = new Map<string, () => void>();

  constructor(url: string, token: string) {
    this.#client = createClient({ url, webSocketImpl: WebSocket, connectionParams: { token }, retryAttempts: 2, retryWait: async () => {} });
  }

  /** The company's name, or undefined when the server does not know it. */
  async companyName(symbol: string): Promise<string | undefined> {
    for await (const result of this.#client.iterate<{ company: { name: string } | null }>({ query: GET_COMPANY, variables: { symbol } })) {
      return result.data?.company?.name;
    }
    return undefined;
  }

  /** Starts following `symbol`'s price. */
  watch(symbol: string): void {
    const stop = this.#client.subscribe<{ price: number }>(
      { query: ON_PRICE, variables: { symbol } },
      { next: (result) => result.data && this.#prices.set(symbol, result.data.price), error: () => this.#watching.delete(symbol), complete: () => this.#watching.delete(symbol) },
    );
    this.#watching.set(symbol, stop);
  }

  /** Stops following `symbol`. */
  unwatch(symbol: string): void {
    this.#watching.get(symbol)?.();
    this.#watching.delete(symbol);
  }

  latest(symbol: string): number | undefined {
    return this.#prices.get(symbol);
  }

  close(): Promise<void> {
    return this.#client.dispose() as Promise<void>;
  }
}

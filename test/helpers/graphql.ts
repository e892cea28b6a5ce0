//
// Real GraphQL clients for the GraphQL kit's tests: graphql-ws's createClient
// and subscriptions-transport-ws's SubscriptionClient, both over `ws`,
// disposed after each test.
//
import { createClient, type Client, type ClientOptions, type FormattedExecutionResult } from 'graphql-ws';

type ExecutionResult = FormattedExecutionResult<Record<string, unknown>, unknown>;
import { SubscriptionClient, type ClientOptions as LegacyOptions } from 'subscriptions-transport-ws';
import { afterEach } from 'vitest';
import WebSocket from 'ws';

const clients = new Set<{ dispose(): unknown }>();

/**
 * Disposes the clients after each test. Call it after `useMockServer()`:
 * hooks run in reverse order, so the clients are gone before the server
 * resets (a retrying client would otherwise reconnect to a removed mock).
 */
export function useGraphQLClients(): void {
  afterEach(async () => {
    await Promise.all([...clients].map((client) => client.dispose()));
    clients.clear();
  });
}

/** A graphql-ws client of `url` (no retries unless asked), disposed after the test. */
export function graphqlClient(url: string, options: Partial<ClientOptions> = {}): Client {
  const client = createClient({ url, webSocketImpl: WebSocket, retryAttempts: 0, ...options });
  clients.add(client);
  return client;
}

/** A subscriptions-transport-ws client of `url` (legacy protocol), closed after the test. */
export function legacyClient(url: string, options: LegacyOptions = {}): SubscriptionClient {
  const client = new SubscriptionClient(url, { reconnect: false, ...options }, WebSocket);
  clients.add({ dispose: () => client.close() });
  return client;
}

/** What a `client.subscribe` sink saw, and a promise of its end. */
export interface Sink {
  results: ExecutionResult[];
  /** Resolves with the errors (or undefined when it completed). */
  done: Promise<unknown>;
  /** Resolves once `count` results arrived. */
  results$(count: number): Promise<ExecutionResult[]>;
}

/** Subscribes with a sink that records what arrives. */
export function subscribe(client: Client, payload: { query: string; variables?: Record<string, unknown>; operationName?: string }): Sink & { unsubscribe: () => void } {
  const results: ExecutionResult[] = [];
  const waiting: { count: number; resolve: (r: ExecutionResult[]) => void }[] = [];
  let unsubscribe!: () => void;
  const done = new Promise<unknown>((resolve) => {
    unsubscribe = client.subscribe(payload, {
      next: (value) => {
        results.push(value);
        for (const w of waiting.filter((w) => results.length >= w.count)) w.resolve(results.slice(0, w.count));
      },
      error: (err) => resolve(err),
      complete: () => resolve(undefined),
    });
  });
  const results$ = (count: number) =>
    results.length >= count ? Promise.resolve(results.slice(0, count)) : new Promise<ExecutionResult[]>((resolve) => waiting.push({ count, resolve }));
  return { results, done, results$, unsubscribe };
}

/** Every value of `iterable` until it ends. */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const value of iterable) out.push(value);
  return out;
}

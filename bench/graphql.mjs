// The `graphql-subscribers` scenario's servers: a wsmock GraphQL mock the
// test pushes to (`mock.publish`), and the real thing, graphql-ws's server
// (`graphql-ws/use/ws`) with a `graphql` schema whose subscription reads a
// simple in-memory pub/sub. Both publish `{ tick }` to every subscriber of
// `subscription OnTick { tick }`.
import { buildSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';

export const SUBSCRIPTION = 'subscription OnTick { tick }';

/** wsmock: one GraphQL mock; the payloads are pushed in-process, as a test would. */
export function wsmockGraphQL(server) {
  const gql = server.graphql('/graphql');
  return {
    url: gql.url,
    subscribers: () => gql.operations.length,
    publish: (tick) => gql.publish('OnTick', { tick }),
  };
}

/** A pub/sub of the simplest kind: every subscriber an async iterator over a queue. */
function pubsub() {
  const subscribers = new Set();
  return {
    get size() {
      return subscribers.size;
    },
    publish(value) {
      for (const push of subscribers) push(value);
      return subscribers.size;
    },
    subscribe() {
      const queue = [];
      let wake;
      const push = (value) => {
        if (wake) {
          const resolve = wake;
          wake = undefined;
          resolve({ value, done: false });
        } else queue.push(value);
      };
      subscribers.add(push);
      return {
        next: () => (queue.length ? Promise.resolve({ value: queue.shift(), done: false }) : new Promise((resolve) => (wake = resolve))),
        return: () => {
          subscribers.delete(push);
          wake?.({ value: undefined, done: true });
          return Promise.resolve({ value: undefined, done: true });
        },
        [Symbol.asyncIterator]() {
          return this;
        },
      };
    },
  };
}

/** The baseline: graphql-ws's own server on `ws`, executing the subscription with `graphql`. */
export async function graphqlWsBaseline() {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', path: '/graphql', perMessageDeflate: false, maxPayload: 1024 * 1024 });
  await new Promise((resolve) => wss.once('listening', resolve));
  const ticks = pubsub();
  const schema = buildSchema('type Query { ok: Boolean } type Subscription { tick: Int }');
  // The subscription field's default resolver calls the root's `tick`, an async iterable.
  const disposable = useServer({ schema, roots: { subscription: { tick: () => ticks.subscribe() } } }, wss);
  return {
    url: `ws://127.0.0.1:${wss.address().port}/graphql`,
    subscribers: () => ticks.size,
    publish: (tick) => ticks.publish({ tick }),
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await disposable.dispose();
    },
  };
}

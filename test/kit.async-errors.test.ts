//
// Issue 22 item 7: no async stage of any kit can leave a rejection unhandled.
// One row per kit and stage: user code that throws or rejects (or an answer
// that cannot be serialised) gets the client the protocol's error where the
// protocol has one, is reported as the server's `error`, and the connection
// goes on. A row is a function of the server, so a kit adds its own row.
//
import { describe, expect, it } from 'vitest';
import type { MockServer, ScenarioInfo } from '../src/index.js';
import { connect, refusal } from './helpers/client.js';
import { noUnhandledRejections } from './helpers/failures.js';
import { graphqlClient, subscribe, useGraphQLClients } from './helpers/graphql.js';
import { rpcClient } from './helpers/rpc.js';
import { useMockServer } from './helpers/server.js';
import { RawStream } from './helpers/sse.js';

const server = useMockServer();
useGraphQLClients();
noUnhandledRejections();

/** A payload JSON.parse reads and JSON.stringify cannot write (it recurses). */
const DEEP = `${'['.repeat(5000)}${']'.repeat(5000)}`;

/** Resolves with the next server `error` (`error` carries the mock id through its context). */
function nextError(on: MockServer): Promise<Error> {
  return new Promise((resolve) => on.once('error', (error) => resolve(error)));
}

interface Row {
  kit: string;
  stage: string;
  /** Sets up a mock on `server`, makes its stage fail, asserts what the client got and that the connection goes on. */
  run(server: MockServer): Promise<void>;
}

const rows: Row[] = [
  {
    kit: 'websocket',
    stage: 'an async respond that rejects',
    async run(server) {
      const mock = server.websocket('/ws', {
        matchers: [
          { match: { type: 'exact', value: 'boom' }, respond: async () => Promise.reject(new Error('respond failed')) },
          { match: { type: 'exact', value: 'ping' }, response: { type: 'text', value: 'pong' } },
        ],
      });
      const client = await connect(mock.url);
      const reported = nextError(server);
      void client.send('boom');
      expect((await reported).message).toBe('respond failed');
      expect(await client.ask('ping')).toBe('pong');
    },
  },
  {
    kit: 'websocket',
    stage: 'a respond that throws',
    async run(server) {
      const mock = server.websocket('/ws', {
        matchers: [
          {
            match: { type: 'exact', value: 'boom' },
            respond: () => {
              throw new Error('respond threw');
            },
          },
          { match: { type: 'exact', value: 'ping' }, response: { type: 'text', value: 'pong' } },
        ],
      });
      const client = await connect(mock.url);
      const reported = nextError(server);
      void client.send('boom');
      expect((await reported).message).toBe('respond threw');
      expect(await client.ask('ping')).toBe('pong');
    },
  },
  {
    kit: 'websocket',
    stage: 'a delayed response whose template cannot be serialised',
    async run(server) {
      const mock = server.websocket('/ws', {
        matchers: [
          { match: { type: 'prefix', value: '{"x"' }, response: { type: 'json', value: { echo: '{{message.x}}' }, delay: 5 } },
          { match: { type: 'exact', value: 'ping' }, response: { type: 'text', value: 'pong' } },
        ],
      });
      const client = await connect(mock.url);
      const reported = nextError(server);
      void client.send(`{"x":${DEEP}}`);
      expect((await reported).message).toMatch(/call stack/i);
      expect(await client.ask('ping')).toBe('pong');
    },
  },
  {
    kit: 'websocket',
    stage: 'an async onConnection that rejects',
    async run(server) {
      const mock = server.websocket('/ws', {
        onConnection: async () => Promise.reject(new Error('onConnection failed')),
        matchers: [{ match: { type: 'exact', value: 'ping' }, response: { type: 'text', value: 'pong' } }],
      });
      const reported = nextError(server);
      const client = await connect(mock.url);
      expect((await reported).message).toBe('onConnection failed');
      expect(await client.ask('ping')).toBe('pong');
    },
  },
  {
    kit: 'websocket',
    stage: 'a scenario send (delayed) whose template cannot be serialised',
    async run(server) {
      const mock = server.websocket('/ws', {
        scenario: {
          steps: [
            { type: 'wait', match: { type: 'prefix', value: '{"x"' } },
            { type: 'send', message: { type: 'json', value: { echo: '{{message.x}}' }, delay: 5 } },
            { type: 'wait', match: { type: 'exact', value: 'never' } },
          ],
        },
        matchers: [{ match: { type: 'exact', value: 'ping' }, response: { type: 'text', value: 'pong' } }],
      });
      const client = await connect(mock.url);
      const failed = new Promise<ScenarioInfo>((resolve) => server.once('scenario:failed', (_conn, info) => resolve(info)));
      void client.send(`{"x":${DEEP}}`);
      // The scenario fails at that step instead of waiting on it for ever.
      expect(await failed).toMatchObject({ step: 1, status: 'failed', error: expect.stringMatching(/^step 1 could not send its message: .*call stack/i) });
      expect(await client.ask('ping')).toBe('pong');
    },
  },
  {
    kit: 'websocket',
    stage: 'an async handshake.verify answering what JSON cannot show',
    async run(server) {
      const mock = server.websocket('/ws', { handshake: { verify: async () => ({ status: 10n }) as never } });
      const reported = nextError(server);
      const refused = await refusal(mock.url);
      expect(refused).toMatchObject({ status: 500, body: { error: 'handshake_verify_failed', message: expect.stringContaining('got object') } });
      expect((await reported).message).toContain('handshake.verify must return');
    },
  },
  {
    kit: 'graphql',
    stage: 'an async operation function that rejects',
    async run(server) {
      const gql = server.graphql('/graphql', {
        operations: { Boom: async () => Promise.reject(new Error('resolver failed')), Ok: { data: { ok: true } } },
      });
      const client = graphqlClient(gql.url);
      const reported = nextError(server);
      expect(await subscribe(client, { query: 'query Boom { boom }' }).done).toEqual([{ message: 'resolver failed' }]);
      expect((await reported).message).toBe('resolver failed');
      expect(await subscribe(client, { query: 'query Ok { ok }' }).results$(1)).toEqual([{ data: { ok: true } }]);
    },
  },
  {
    kit: 'graphql',
    stage: 'an async iterable that throws mid-stream',
    async run(server) {
      const gql = server.graphql('/graphql', {
        operations: {
          Ticks: async function* () {
            yield { tick: 1 };
            throw new Error('stream failed');
          },
          Ok: { data: { ok: true } },
        },
      });
      const client = graphqlClient(gql.url);
      const ticks = subscribe(client, { query: 'subscription Ticks { tick }' });
      expect(await ticks.done).toEqual([{ message: 'stream failed' }]);
      expect(ticks.results).toEqual([{ data: { tick: 1 } }]);
      expect(await subscribe(client, { query: 'query Ok { ok }' }).results$(1)).toEqual([{ data: { ok: true } }]);
    },
  },
  {
    kit: 'graphql',
    stage: 'an async answer that cannot be serialised',
    async run(server) {
      const gql = server.graphql('/graphql', { operations: { Echo: async (op) => ({ echo: op.variables.x }), Ok: { data: { ok: true } } } });
      const raw = await connect(gql.url, { protocols: ['graphql-transport-ws'] });
      expect(await raw.askJson({ type: 'connection_init' })).toEqual({ type: 'connection_ack' });
      const answer = await raw.askJson(`{"type":"subscribe","id":"1","payload":{"query":"query Echo { echo }","variables":{"x":${DEEP}}}}`);
      expect(answer).toEqual({ type: 'error', id: '1', payload: [{ message: expect.stringMatching(/call stack/i) }] });
      expect(await raw.askJson({ type: 'subscribe', id: '2', payload: { query: 'query Ok { ok }' } })).toEqual({ type: 'next', id: '2', payload: { data: { ok: true } } });
    },
  },
  {
    kit: 'jsonrpc',
    stage: 'an async handler that rejects',
    async run(server) {
      const rpc = server.jsonrpc('/rpc', { methods: { boom: async () => Promise.reject(new Error('handler failed')), ok: { result: 'ok' } } });
      const client = await rpcClient(rpc.url);
      await expect(client.call('boom')).rejects.toEqual({ code: -32603, message: 'handler failed' });
      await expect(client.call('ok')).resolves.toBe('ok');
    },
  },
  {
    kit: 'jsonrpc',
    stage: 'a handler that throws',
    async run(server) {
      const rpc = server.jsonrpc('/rpc', {
        methods: {
          boom: () => {
            throw new Error('handler threw');
          },
          ok: { result: 'ok' },
        },
      });
      const client = await rpcClient(rpc.url);
      await expect(client.call('boom')).rejects.toEqual({ code: -32603, message: 'handler threw' });
      await expect(client.call('ok')).resolves.toBe('ok');
    },
  },
  {
    kit: 'jsonrpc',
    stage: 'an async notification handler that rejects',
    async run(server) {
      const rpc = server.jsonrpc('/rpc', { methods: { log: async () => Promise.reject(new Error('notification failed')), ok: { result: 'ok' } } });
      const client = await rpcClient(rpc.url);
      const reported = nextError(server);
      await client.notify('log');
      expect((await reported).message).toBe('notification "log" failed: notification failed');
      await expect(client.call('ok')).resolves.toBe('ok');
    },
  },
  {
    kit: 'jsonrpc',
    stage: 'a delayed answer that cannot be serialised',
    async run(server) {
      const rpc = server.jsonrpc('/rpc', { methods: { echo: { result: '{{params.x}}', delay: 5 } } });
      const raw = await connect(rpc.url);
      const answer = await raw.askJson(`{"jsonrpc":"2.0","id":1,"method":"echo","params":{"x":${DEEP}}}`);
      expect(answer).toMatchObject({ jsonrpc: '2.0', id: 1, error: { code: -32603 } });
      expect(await raw.askJson({ jsonrpc: '2.0', id: 2, method: 'echo', params: { x: 'ok' } })).toEqual({ jsonrpc: '2.0', id: 2, result: 'ok' });
    },
  },
  {
    kit: 'sse',
    stage: 'an async onConnection that rejects',
    async run(server) {
      const feed = server.sse('/feed', { onConnection: async () => Promise.reject(new Error('onConnection failed')), events: [{ data: 'after' }] });
      const reported = nextError(server);
      const stream = new RawStream(feed.httpUrl);
      expect((await reported).message).toBe('onConnection failed');
      // The feed goes on after it.
      await stream.contains('data: after\n\n');
      stream.close();
    },
  },
];

describe('issue 22 item 7: no async stage of any kit leaves a rejection unhandled', () => {
  it.each(rows)('$kit: $stage answers the protocol error and the connection goes on', async ({ run }) => {
    await run(server);
  });
});

//
// `expect(operation).toBeCompleted()` on the Vitest, Jest and Playwright
// entries, with a real graphql-ws client.
//
import { describe, expect, it } from 'vitest';
import type { MatcherContext } from '../src/adapters/context.js';
import { wsmockMatchers as jestMatchers } from '../src/adapters/jest.js';
import { wsmockMatchers as playwrightMatchers } from '../src/adapters/playwright.js';
import { wsmockMatchers } from '../src/adapters/vitest.js';
import type { GraphQLMock, GraphQLOperation } from '../src/index.js';
import { graphqlClient, subscribe, useGraphQLClients } from './helpers/graphql.js';
import { useMockServer } from './helpers/server.js';
import { failure } from './helpers/failures.js';

expect.extend(wsmockMatchers);

const server = useMockServer();
useGraphQLClients();

async function started(gql: GraphQLMock = server.graphql()): Promise<{ op: GraphQLOperation; unsubscribe: () => void }> {
  const sink = subscribe(graphqlClient(gql.url), { query: 'subscription OnPrice { price }' });
  return { op: await gql.waitForOperation(), unsubscribe: sink.unsubscribe };
}

describe('toBeCompleted', () => {
  it('waits for the client to complete the operation', async () => {
    const { op, unsubscribe } = await started();
    const assertion = expect(op).toBeCompleted({ by: 'client' });
    unsubscribe();
    await assertion;
    expect(op.endedBy).toBe('client');
  });

  it('fails with what it waited for when the operation stays active', async () => {
    const { op } = await started(server.graphql('/graphql', { id: 'prices' }));
    const message = await failure(expect(op).toBeCompleted({ timeout: 30 }));
    expect(message).toContain(`Expected operation OnPrice (id ${op.id}, subscription) on ${op.connection.id} to end.`);
    expect(message).toContain('Timed out after 30 ms waiting for the end of operation OnPrice');
    expect(message).toContain('"type":"subscribe"');
  });

  it('fails when it ended some other way than `by`', async () => {
    const { op } = await started();
    await op.complete();
    const message = await failure(expect(op).toBeCompleted({ by: 'client' }));
    expect(message).toContain('ended, but not as expected');
    expect(message).toContain('Expected: ended by "client"');
    expect(message).toContain('Received: ended by "server"');
  });

  it('with .not, passes while the operation stays active through the window and fails once it ended', async () => {
    const { op, unsubscribe } = await started();
    await expect(op).not.toBeCompleted({ within: 20 });
    unsubscribe();
    await op.waitForComplete();
    expect(await failure(expect(op).not.toBeCompleted())).toMatch(/not to end within 100 ms; it ended by "client"/);
  });

  it('refuses a subject that is not an operation, even with .not', async () => {
    expect(await failure(expect({ id: '1' }).toBeCompleted())).toContain('toBeCompleted() works on a wsmock GraphQLOperation');
    expect(await failure(expect(Promise.resolve()).not.toBeCompleted())).toContain('a Promise (did you forget to await it?)');
  });

  it('is registered by the Jest and Playwright entries too', async () => {
    const ctx: MatcherContext = {
      isNot: false,
      utils: { matcherHint: (name) => `expect(received).${name}()`, printExpected: (v) => JSON.stringify(v), printReceived: (v) => JSON.stringify(v), diff: () => null },
    };
    const { op } = await started();
    await op.complete();
    expect((await jestMatchers.toBeCompleted.call(ctx, op, { by: 'server' })).pass).toBe(true);
    expect((await playwrightMatchers.toBeCompleted.call(ctx, op, { by: 'client' })).pass).toBe(false);
  });
});

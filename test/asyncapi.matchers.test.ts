//
// Issue 26, the matchers: toConformToContract, toHaveCoveredContract and
// toReceiveMessage({ messageId }) with Vitest on Kraken's contract, real `ws`
// clients; the Jest and Playwright entries register the same functions.
//
import { describe, expect, it } from 'vitest';
import { wsmockMatchers as jestMatchers } from '../src/adapters/jest.js';
import { wsmockMatchers as playwrightMatchers } from '../src/adapters/playwright.js';
import { wsmockMatchers } from '../src/adapters/vitest.js';
import { connect } from './helpers/client.js';
import { failure } from './helpers/failures.js';
import { useMockServer } from './helpers/server.js';
import { fixture } from './helpers/asyncapiFixtures.js';

expect.extend(wsmockMatchers);

const server = useMockServer();

/** Kraken's 3.0 contract served, a `ws` client on it, and its connection's handle. */
async function kraken() {
  const api = await server.asyncapi(fixture('kraken-3.0.yaml'));
  const client = await connect(api.mocks[0]!.url);
  const conn = await api.mocks[0]!.waitForConnection();
  return { api, client, conn };
}

describe('issue 26: toConformToContract', () => {
  it('passes while every frame both ways fits the contract', async () => {
    const { client, conn } = await kraken();
    expect(await client.askJson({ event: 'ping', reqid: 1 })).toEqual({ event: 'pong', reqid: 1 });
    expect(conn).toConformToContract();
    await expect(conn).toConformToContract(); // awaiting it is harmless
    expect(await failure(() => expect(conn).not.toConformToContract())).toContain(`Expected ${conn.id} to have broken its contract, it has no violations.`);
  });

  it('fails with each violation: direction, frame, closest message, JSON path and the value found there', async () => {
    const { client, conn } = await kraken();
    const violated = new Promise((resolve) => server.once('contract:violation', resolve));
    await client.send({ event: 'subscribe', reqid: 'seven', subscription: { name: 'tickers' } });
    await violated;
    const message = await failure(() => expect(conn).toConformToContract());
    expect(message).toContain(`${conn.id} broke its contract 1 time(s):`);
    expect(message).toContain('← in  "{\\"event\\":\\"subscribe\\",\\"reqid\\":\\"seven\\"');
    expect(message).toContain('closest message: subscribe');
    expect(message).toMatch(/\$\.reqid must be integer \(received "seven"\)/);
    expect(message).toMatch(/\$\.subscription\.name must be one of "book", "ohlc", .* \(received "tickers"\)/);
    expect(message).toContain(`Recent messages on ${conn.id}`);
    expect(conn).not.toConformToContract();
  });

  it('refuses a subject that is not a connection, .not included', async () => {
    const { api } = await kraken();
    expect(await failure(() => expect(api.mocks[0]).toConformToContract())).toContain('toConformToContract() works on a wsmock Connection');
    expect(await failure(() => expect(api).not.toConformToContract())).toContain('toConformToContract() works on a wsmock Connection');
  });
});

describe('issue 26: toHaveCoveredContract', () => {
  it('names the operations never used, the messages no frame used, and passes for the ones used', async () => {
    const { client } = await kraken();
    expect(await client.askJson({ event: 'ping', reqid: 2 })).toEqual({ event: 'pong', reqid: 2 });
    expect(server).toHaveCoveredContract({ operations: ['ping'] });
    const message = await failure(() => expect(server).toHaveCoveredContract());
    expect(message).toContain('4 of 5 operation(s) never used:');
    expect(message).toContain('  subscribe (receive on channel subscribe): never used, never replied');
    expect(message).toContain('  heartbeat (send on channel heartbeat): never used');
    expect(message).not.toMatch(/^ {2}ping /m);
    expect(message).toMatch(/Messages no frame used: subscribe, unsubscribe, subscriptionStatus, heartbeat, systemStatus/);
    expect(server).not.toHaveCoveredContract();
    expect(await failure(() => expect(server).not.toHaveCoveredContract({ operations: ['ping'] }))).toContain('every one was used:\n  ping (receive on channel ping): used 1×, replied 1×');
  });

  it('an operation the contracts do not have is a mistake in the test, thrown even with .not', async () => {
    await kraken();
    const message = await failure(() => expect(server).not.toHaveCoveredContract({ operations: ['pingg'] }));
    expect(message).toContain('No contract of the server has the operation(s) "pingg".');
    expect(message).toContain('Its operations: ping, subscribe, unsubscribe, heartbeat, systemStatus');
  });

  it('refuses a server with no contract, and a subject that is not a server', async () => {
    expect(await failure(() => expect(server).toHaveCoveredContract())).toContain('The server has no contract');
    const { conn } = await kraken();
    expect(await failure(() => expect(conn).toHaveCoveredContract())).toContain('toHaveCoveredContract() works on a wsmock MockServer');
  });
});

describe('issue 26: toReceiveMessage({ messageId })', () => {
  it('takes the next client frame and passes when it fits that contract message (key, messageId or name)', async () => {
    const { client, conn } = await kraken();
    await client.send({ event: 'subscribe', reqid: 3, pair: ['XBT/USD'], subscription: { name: 'ticker' } });
    await client.send({ event: 'ping' });
    await expect(conn).toReceiveMessage({ messageId: 'subscribe' });
    await expect(conn).toReceiveMessage({ messageId: 'ping' });
    expect(conn).toHaveReceivedMessages([{ messageId: 'ping' }, { messageId: 'subscribe' }]);
  });

  it('fails with the schema errors when the next frame is another message', async () => {
    const { client, conn } = await kraken();
    await client.send({ event: 'ping', reqid: 4 });
    const message = await failure(() => expect(conn).toReceiveMessage({ messageId: 'subscribe' }));
    expect(message).toContain(`The next message on ${conn.id} is not the expected one. It is no "subscribe" of the contract:`);
    expect(message).toContain('  $.event must be "subscribe"\n');
    expect(message).toContain('  $.subscription is required\n');
  });

  it('a message the contract does not have is thrown, naming those it has', async () => {
    const { conn } = await kraken();
    const message = await failure(() => expect(conn).not.toReceiveMessage({ messageId: 'subscribed' }, { within: 10 }));
    expect(message).toContain(`The contract of ${conn.id} has no message "subscribed".`);
    expect(message).toContain('Its messages: ping, subscribe, unsubscribe, pong, subscriptionStatus, heartbeat, systemStatus');
  });

  it('on a mock without a contract, { messageId } is compared as JSON, as before', async () => {
    const plain = server.websocket('/plain', { echoMode: false });
    const client = await connect(plain.url);
    const conn = await plain.waitForConnection();
    await client.send({ messageId: 'subscribe' });
    await expect(conn).toReceiveMessage({ messageId: 'subscribe' });
  });
});

describe('issue 26: the contract matchers in every runner', () => {
  it('are registered by the Jest and Playwright entries too', () => {
    expect(jestMatchers.toConformToContract).toBe(wsmockMatchers.toConformToContract);
    expect(jestMatchers.toHaveCoveredContract).toBe(wsmockMatchers.toHaveCoveredContract);
    expect(typeof playwrightMatchers.toConformToContract).toBe('function');
    expect(typeof playwrightMatchers.toHaveCoveredContract).toBe('function');
  });
});

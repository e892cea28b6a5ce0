import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { createMockServer, type MockServer } from 'wsmock';
import { connectWallet, WalletError, type Wallet } from '../src/wallet.js';

let server: MockServer;
let wallet: Wallet | undefined;
beforeAll(async () => {
  server = await createMockServer();
});
afterEach(async () => {
  wallet?.close();
  await server.reset();
});
afterAll(() => server.close());

it('reads a balance, and the test checks what the app asked for', async () => {
  const rpc = server.jsonrpc('/wallet', { methods: { getBalance: { result: 120 } } });
  wallet = await connectWallet(rpc.url);
  expect(await wallet.balance('main')).toBe(120);
  await expect(rpc).toReceiveCall('getBalance', { account: 'main' });
});

it('lets the test answer a transfer, and surfaces a refusal with its code', async () => {
  const rpc = server.jsonrpc('/wallet', { methods: { transfer: { manual: true } } });
  wallet = await connectWallet(rpc.url);

  const sent = wallet.transfer('bob', 25);
  const call = await rpc.waitForCall('transfer');
  expect(call.params).toEqual({ to: 'bob', amount: 25 });
  call.respond('tx-1');
  await expect(sent).resolves.toBe('tx-1');

  const refused = wallet.transfer('bob', 1_000_000);
  (await rpc.waitForCall('transfer')).fail({ code: -32000, message: 'insufficient funds' });
  await expect(refused).rejects.toEqual(new WalletError(-32000, 'insufficient funds'));
  expect(rpc.calls.map((c) => c.status)).toEqual(['answered', 'answered']);
});

it('gets -32601 for a method the service does not have', async () => {
  const rpc = server.jsonrpc('/wallet', { methods: { getBalance: { result: 0 } } });
  wallet = await connectWallet(rpc.url);
  await expect(wallet.transfer('bob', 1)).rejects.toMatchObject({ code: -32601 });
});

it('receives the prices the server pushes as notifications', async () => {
  const rpc = server.jsonrpc('/wallet');
  wallet = await connectWallet(rpc.url);
  const prices: unknown[] = [];
  wallet.onPrice((price) => prices.push(price));
  const conn = await rpc.waitForConnection();
  await conn.notify('price', { symbol: 'ACME', value: 42 });
  await expect.poll(() => prices).toEqual([{ symbol: 'ACME', value: 42 }]);
});

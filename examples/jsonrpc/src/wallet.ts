// The code under test: a wallet that talks JSON-RPC 2.0 over WebSocket with
// rpc-websockets, as an app would.
import { Client } from 'rpc-websockets';

/** A transfer the wallet service refused, with its JSON-RPC error code. */
export class WalletError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export interface Wallet {
  balance(account: string): Promise<number>;
  transfer(to: string, amount: number): Promise<string>;
  onPrice(listener: (price: { symbol: string; value: number }) => void): void;
  close(): void;
}

export async function connectWallet(url: string): Promise<Wallet> {
  const client = new Client(url, { reconnect: false });
  await new Promise<void>((resolve, reject) => {
    client.once('open', () => resolve());
    client.once('error', reject);
  });
  return {
    balance: async (account) => (await client.call('getBalance', { account })) as number,
    async transfer(to, amount) {
      try {
        return (await client.call('transfer', { to, amount })) as string;
      } catch (error) {
        const { code, message } = error as { code: number; message: string };
        throw new WalletError(code, message);
      }
    },
    onPrice: (listener) => void client.on('price', listener),
    close: () => client.close(),
  };
}

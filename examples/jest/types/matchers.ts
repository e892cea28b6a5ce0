// Type-checked only (tsc -p .): the wsmock matchers on the `expect` of
// @jest/globals in a TypeScript Jest project. Misuses must not compile.
import { expect } from '@jest/globals';
import type { Connection, WebSocketMock } from 'wsmock';
import 'wsmock/jest';

export async function typed(conn: Connection, mock: WebSocketMock): Promise<void> {
  await expect(conn).toReceiveMessage({ type: 'join', room: expect.any(String) });
  await expect(conn).toReceiveMessage('text', { timeout: 500 });
  await expect(conn).not.toReceiveMessage(undefined, { within: 100 });
  expect(conn).toHaveReceivedMessages(['a', { b: 1 }]);
  await expect(mock).toHaveConnections(2, { timeout: 1000 });
  await expect(conn).toBeClosed({ code: 1000 });

  // @ts-expect-error -- the count is a number
  await expect(mock).toHaveConnections('2');
  // @ts-expect-error -- toHaveReceivedMessages takes an array
  expect(conn).toHaveReceivedMessages('a');
  // @ts-expect-error -- there is no such option
  await expect(conn).toBeClosed({ status: 1000 });
}

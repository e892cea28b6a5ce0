/**
 * jest-websocket-mock's API on a real wsmock server: `import WS from
 * 'wsmock/jest-websocket-mock'` where a test imported `WS` from
 * 'jest-websocket-mock' (or 'vitest-websocket-mock'). Importing it registers
 * `toReceiveMessage` and `toHaveReceivedMessages` on the global `expect` of
 * Jest, or of Vitest with `globals: true`; otherwise call
 * `expect.extend(matchers)`. Differences from the in-process original (real
 * sockets deliver asynchronously): docs/migrating.md.
 *
 * @example
 * ```ts
 * import WS from 'wsmock/jest-websocket-mock';
 *
 * afterEach(() => WS.clean());
 *
 * test('the client says hello', async () => {
 *   const server = new WS('ws://localhost:1234');
 *   const client = new WebSocket('ws://localhost:1234');
 *   await server.connected;
 *   client.send('hello');
 *   await expect(server).toReceiveMessage('hello');
 * });
 * ```
 *
 * @module wsmock/jest-websocket-mock
 */
import type { WsMockMatchers } from '../../adapters/types.js';
import { matchers } from './matchers.js';
import { WS } from './WS.js';

export { WS, isWS } from './WS.js';
export type { CloseOptions, DeserializedMessage, VerifyClientInfo, VerifyClientRequest, WSCloseEvent, WSOptions, WSSocket } from './WS.js';
export { matchers } from './matchers.js';
export type { MatcherThis, ReceiveMessageOptions } from './matchers.js';
export type { MatcherContext, MatcherResult, MatcherUtils, MatcherHintOptions } from '../../adapters/context.js';
export default WS;

declare global {
  // The global `expect` typed by @types/jest. The same declaration as wsmock/jest's, so the two
  // entries merge in one project: the argument types accept jest-websocket-mock's messages.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    interface Matchers<R, T = {}> extends WsMockMatchers<R> {}
  }
}

const globalExpect = (globalThis as { expect?: { extend?: (m: object) => void } }).expect;
if (typeof globalExpect?.extend === 'function') globalExpect.extend(matchers);

//
// The built-in kits' runner matchers, listed once: wsmock/vitest, wsmock/jest
// and wsmock/playwright register every entry of this list. A kit's new
// matcher is its own module (written against context.ts, reaching the kit's
// handles through their public members only) plus its line in the list and
// its signature below, and its documented use in types.ts (`WsMockMatchers`).
//
import type { MatcherContext, MatcherResult } from './context.js';
import { toBeCompleted } from './toBeCompleted.js';
import { toHaveSent, type ExpectedSseEvent } from './toHaveSent.js';
import type { CompletedOptions, CoveredOptions, ReceiveOptions } from './types.js';
import { toReceiveCall } from './toReceiveCall.js';
import { toReceiveEvent } from './toReceiveEvent.js';
import { toConformToContract } from './toConformToContract.js';
import { toHaveCoveredContract } from './toHaveCoveredContract.js';
import { withRemoteSubject } from './subject.js';

// A type alias, not an interface: runners' expect.extend() wants an object with an index signature.
/** The kits' matchers as `expect.extend()` receives them. */
export type KitMatcherFunctions = {
  /** `await expect(socket).toReceiveEvent(event, ...args)`, `.not` with `eventOptions({ within })`. */
  toReceiveEvent(this: MatcherContext, received: unknown, event: string, ...args: unknown[]): Promise<MatcherResult>;
  /** `await expect(operation).toBeCompleted({ by?, timeout? })`, `.not` with `{ within? }`. */
  toBeCompleted(this: MatcherContext, received: unknown, options?: CompletedOptions): Promise<MatcherResult>;
  /** `await expect(rpc).toReceiveCall(method, params?, { timeout? })`, `.not` with `{ within? }`. */
  toReceiveCall(this: MatcherContext, received: unknown, method: string, params?: unknown, options?: ReceiveOptions): Promise<MatcherResult>;
  /** `expect(sseStream).toHaveSent({ data?, event?, id?, retry? })`. */
  toHaveSent(this: MatcherContext, received: unknown, expected: ExpectedSseEvent | unknown): MatcherResult;
  /** `expect(conn).toConformToContract()`. */
  toConformToContract(this: MatcherContext, received: unknown): MatcherResult;
  /** `expect(server).toHaveCoveredContract({ operations? })`. */
  toHaveCoveredContract(this: MatcherContext, received: unknown, options?: CoveredOptions): MatcherResult;
};

/** The kits' matchers by name, as `expect.extend()` takes them. */
export const kitMatchers: KitMatcherFunctions = {
  /** Socket.IO: `await expect(socket).toReceiveEvent(event, ...args)`. */
  toReceiveEvent,
  /** GraphQL: `await expect(operation).toBeCompleted({ by?, timeout? })`. */
  toBeCompleted,
  /** JSON-RPC: `await expect(rpc).toReceiveCall(method, params?, { timeout? })`. */
  toReceiveCall,
  /** SSE: `expect(stream).toHaveSent({ data?, event?, id?, retry? })`. */
  toHaveSent,
  /** AsyncAPI: `expect(conn).toConformToContract()` (`await` it on a remote connection). */
  toConformToContract: withRemoteSubject(toConformToContract),
  /** AsyncAPI: `expect(server).toHaveCoveredContract({ operations? })`. */
  toHaveCoveredContract,
};

/** One matcher, as a runner's adaptation sees it. */
type KitMatcher = (this: MatcherContext, received: unknown, ...rest: never[]) => MatcherResult | Promise<MatcherResult>;


/** Applies `wrap` to every kit matcher (a runner's adaptation: the chaos note, Playwright's context). */
export function wrapKitMatchers(wrap: (matcher: KitMatcher) => KitMatcher): KitMatcherFunctions {
  return Object.fromEntries(Object.entries(kitMatchers).map(([name, matcher]) => [name, wrap(matcher as KitMatcher)])) as unknown as KitMatcherFunctions;
}

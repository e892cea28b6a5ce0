//
// Brands of the Phoenix handles: `instanceof` holds for a handle made by
// another copy of wsmock (the ESM and CommonJS builds).
//
import { handleBrand, type HandleBrand } from '../../kit/index.js';

/** What a Phoenix handle is. */
export type PhoenixBrand = 'mock' | 'socket' | 'channel' | 'push' | 'presence';

const BRANDS: Record<PhoenixBrand, HandleBrand> = {
  mock: handleBrand('phoenix-mock'),
  socket: handleBrand('phoenix-socket'),
  channel: handleBrand('phoenix-channel'),
  push: handleBrand('phoenix-push'),
  presence: handleBrand('phoenix-presence'),
};

/** Marks `target`; called once, in its constructor. */
export function brandAs(target: object, kind: PhoenixBrand): void {
  BRANDS[kind].mark(target);
}

/** Whether `value` carries the brand. */
export function isBranded(value: unknown, kind: PhoenixBrand): boolean {
  return BRANDS[kind].test(value);
}

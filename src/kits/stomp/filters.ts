//
// The argument checks and descriptions of the STOMP handles' waits and
// sends, written once for the mock and its connections.
//
import { invalidArgument } from '../../kit/index.js';

/** Options of the STOMP waits. */
export interface StompWaitOptions {
  /** Milliseconds on the real clock; default: the server's `timeout` option. */
  timeout?: number;
}

/** A destination filter: the exact destination, or a predicate of it. */
export type StompDestinationFilter = string | ((destination: string) => boolean);

/** The predicate of a destination filter, for items with a `destination`. */
export function destinationFilter(filter: StompDestinationFilter | undefined, method: string): ((item: { destination: string }) => boolean) | undefined {
  if (filter === undefined) return undefined;
  if (typeof filter === 'function') return (item) => filter(item.destination);
  if (typeof filter !== 'string' || filter === '') throw invalidArgument(`${method}(destination): destination must be a non-empty string or a predicate, got ${JSON.stringify(filter)}`);
  return (item) => item.destination === filter;
}

/** How a wait names its filter. */
export function describeDestination(filter: StompDestinationFilter | undefined): string {
  if (filter === undefined) return '';
  return typeof filter === 'function' ? ' to a destination matching the predicate' : ` to ${filter}`;
}

/** Checks a destination and headers given to a send or publish. */
export function assertMessageArgs(method: string, destination: unknown, headers: unknown): void {
  if (typeof destination !== 'string' || !destination.startsWith('/')) {
    throw invalidArgument(`${method}: destination must be a string starting with "/", got ${JSON.stringify(destination)}`);
  }
  if (headers === undefined) return;
  if (typeof headers !== 'object' || headers === null || Array.isArray(headers) || Object.values(headers).some((v) => typeof v !== 'string')) {
    throw invalidArgument(`${method}: headers must be an object of string values, got ${JSON.stringify(headers)}`);
  }
}

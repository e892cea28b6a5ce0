//
// conn.join()/leave()/rooms: the rooms one connection is in. Made on the first
// join (most connections never join one) and dropped when the connection
// closes: a closed connection is in none. Broadcasts and `connections.list()`
// ask `has()`, which copies nothing.
//
import { invalidArgument } from '../errors.js';

/** Throws `WSMOCK_ERR_INVALID_ARGUMENT` unless `room` is a non-empty string. */
export function assertRoom(room: unknown): asserts room is string {
  if (typeof room !== 'string' || room === '') throw invalidArgument(`room must be a non-empty string, got ${JSON.stringify(room) ?? String(room)}`);
}

/** The rooms of one connection, in the order it joined them. */
export class Rooms {
  readonly #rooms = new Set<string>();

  /** Joining twice is one membership. */
  join(room: string): void {
    this.#rooms.add(room);
  }

  /** Nothing happens for a room it is not in. */
  leave(room: string): void {
    this.#rooms.delete(room);
  }

  has(room: string): boolean {
    return this.#rooms.has(room);
  }

  /** A copy, in joining order. */
  list(): string[] {
    return [...this.#rooms];
  }
}

//
// Per-connection state that a module outside connections/ owns and the public
// handle shows: `conn.faults` (filled by chaos/), `conn.upstream` (by proxy/).
// The handle declares the slot and reads it; the module that fills it claims
// the slot's writer, once, so the state has one owner and connections/ never
// imports chaos/ or proxy/. A slot holds nothing for a connection its owner
// never wrote (most connections): no field, no entry.
//

/** How the owner of a slot writes it. */
export interface SlotWriter<T> {
  get(connection: object): T | undefined;
  set(connection: object, value: T): void;
}

/** One piece of per-connection state, shown on the handle, written by one owner. */
export class Slot<T> {
  readonly name: string;
  readonly #values = new WeakMap<object, T>();
  #owner: string | undefined;

  constructor(name: string) {
    this.name = name;
  }

  /** The value `connection` holds here, if its owner wrote one. */
  read(connection: object): T | undefined {
    return this.#values.get(connection);
  }

  /**
   * The writer, handed to the one module that owns this state (`owner` names
   * it). A second claim throws: two writers of one piece of state is the bug
   * this is here to prevent. The owner may keep more than the handle shows
   * (`V`: the proxy keeps its whole link, the handle shows the link's `handle`).
   */
  claim<V extends T = T>(owner: string): SlotWriter<V> {
    if (this.#owner !== undefined) throw new Error(`the connection slot "${this.name}" is owned by ${this.#owner}; ${owner} cannot claim it too`);
    this.#owner = owner;
    const values = this.#values as WeakMap<object, V>;
    return {
      get: (connection) => values.get(connection),
      set: (connection, value) => void values.set(connection, value),
    };
  }
}

//
// What the seam keeps for one kit mock across its versions: the connection
// handles (one per connection, made on first use, weakly held) with their
// listeners, and the mock's handle once made. The kit's own state, from its
// `state()` hook, sits beside it.
//
import type { Connection } from '../connections/Connection.js';
import type { ConnectionGroup } from '../connections/ConnectionGroup.js';
import type { Mock } from '../mocks/Mock.js';
import type { KitConnection, KitListeners } from './KitConnection.js';

/** Makes a connection handle (the kit's subclass of {@link KitConnection}). @internal */
export type KitConnectionFactory = (connection: Connection, listeners: KitListeners) => KitConnection;

/** @internal */
export class KitHandles {
  readonly group: ConnectionGroup;
  /** The mock's handle, set when the registry made it. */
  mock: Mock | undefined;
  readonly #make: KitConnectionFactory;
  readonly #handles = new WeakMap<Connection, KitConnection>();
  readonly #listeners = new WeakMap<Connection, KitListeners>();

  constructor(group: ConnectionGroup, make: KitConnectionFactory) {
    this.group = group;
    this.#make = make;
  }

  /** The connection's listeners, if its handle was made. */
  listeners(connection: Connection): KitListeners | undefined {
    return this.#listeners.get(connection);
  }

  /** The connection's handle, the same object every time. */
  handle(connection: Connection): KitConnection {
    let handle = this.#handles.get(connection);
    if (!handle) {
      const listeners: KitListeners = { message: [], close: [] };
      handle = this.#make(connection, listeners);
      this.#handles.set(connection, handle);
      this.#listeners.set(connection, listeners);
    }
    return handle;
  }
}

/** What a kit mock's kind keeps across versions: the seam's handles and the kit's own state. @internal */
export interface KitState<State = unknown> {
  readonly handles: KitHandles;
  readonly own: State;
}

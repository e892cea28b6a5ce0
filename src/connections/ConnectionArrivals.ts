//
// Arrivals a kit keeps per connection and waits for mock-wide: Socket.IO
// sockets, GraphQL connections and operations. Each connection's list is
// keyed weakly by the connection and bounded by the server's `journal.limit`,
// as its journal is; the mock-wide list is a view over the connections the
// group still remembers. So a connection the server releases
// (`journal.releaseClosed`) takes its arrivals with it, and while it is
// remembered the mock-wide waits are the race-free ones of `Arrivals`.
//
import { Arrivals } from './Arrivals.js';
import type { Connection } from './Connection.js';
import type { ConnectionGroup } from './ConnectionGroup.js';

/** A kit's arrivals kept per connection (weakly, bounded by `journal.limit`) and waited for mock-wide. */
export class ConnectionArrivals<T extends object> {
  /** Every arrival on the group's remembered connections, in arrival order: what mock-wide waits take from. */
  readonly all: Arrivals<T>;
  readonly #group: ConnectionGroup;
  readonly #describe: (item: T) => string;
  readonly #byConnection = new WeakMap<Connection, Arrivals<T>>();
  /** The order items arrived in across connections. */
  readonly #order = new WeakMap<T, number>();
  #seq = 0;

  /** `describe` names an arrival in timeout messages. */
  constructor(group: ConnectionGroup, describe: (item: T) => string) {
    this.#group = group;
    this.#describe = describe;
    this.all = new Arrivals(group, describe, { source: () => this.#list() });
  }

  /** The arrivals of one connection, oldest dropped beyond `journal.limit`. */
  of(connection: Connection): Arrivals<T> {
    let arrivals = this.#byConnection.get(connection);
    if (!arrivals) {
      arrivals = new Arrivals(this.#group, this.#describe, { limit: this.#group.journalLimit });
      this.#byConnection.set(connection, arrivals);
    }
    return arrivals;
  }

  /** `item` arrived on `connection`: kept in its list, and the waits of both woken. */
  push(connection: Connection, item: T): void {
    this.#order.set(item, ++this.#seq);
    this.of(connection).push(item);
    this.all.push(item);
  }

  #list(): T[] {
    const items: T[] = [];
    for (const connection of this.#group.connections()) {
      const arrivals = this.#byConnection.get(connection);
      if (arrivals) items.push(...arrivals.all);
    }
    return items.sort((a, b) => this.#order.get(a)! - this.#order.get(b)!);
  }
}

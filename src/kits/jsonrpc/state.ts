//
// What a JSON-RPC mock keeps across its versions: per connection, its
// session and its public handle, and the mock-wide view of their calls (for
// `mock.waitForCall()` and `mock.calls`). The calls belong to the sessions:
// a connection the server releases (`journal.releaseClosed`) takes its calls
// with it, so a long-running `wsmock serve` keeps a flat heap.
//
import { Arrivals, type Connection, type ConnectionGroup } from '../../kit/index.js';
import { describeCall, type JsonRpcCall } from './JsonRpcCall.js';
import { JsonRpcConnection } from './JsonRpcConnection.js';
import { RpcSession } from './session.js';

export class JsonRpcState {
  readonly group: ConnectionGroup;
  /** Every call on the mock, all connections, in arrival order. */
  readonly calls: Arrivals<JsonRpcCall>;
  readonly #sessions = new WeakMap<Connection, RpcSession>();
  readonly #handles = new WeakMap<Connection, JsonRpcConnection>();
  /** The order calls arrived in across connections. */
  readonly #order = new WeakMap<JsonRpcCall, number>();
  #seq = 0;

  constructor(group: ConnectionGroup) {
    this.group = group;
    this.calls = new Arrivals(group, (call) => `${describeCall(call)} on ${call.connection.id}`, { source: () => this.#allCalls() });
  }

  /** The connection's session, made on first use. */
  session(connection: Connection): RpcSession {
    let session = this.#sessions.get(connection);
    if (!session) {
      session = new RpcSession(connection, this.group);
      this.#sessions.set(connection, session);
    }
    return session;
  }

  /** The connection's public handle, the same object every time. */
  handle(connection: Connection): JsonRpcConnection {
    let handle = this.#handles.get(connection);
    if (!handle) {
      handle = new JsonRpcConnection(this.session(connection), this.group);
      this.#handles.set(connection, handle);
    }
    return handle;
  }

  /** A call arrived: journal it on its connection, and wake the waits of both. */
  record(session: RpcSession, call: JsonRpcCall): void {
    this.#order.set(call, ++this.#seq);
    session.calls.push(call);
    this.calls.push(call);
  }

  #allCalls(): JsonRpcCall[] {
    const all: JsonRpcCall[] = [];
    for (const connection of this.group.connections()) {
      const session = this.#sessions.get(connection);
      if (session) all.push(...session.calls.all);
    }
    return all.sort((a, b) => this.#order.get(a)! - this.#order.get(b)!);
  }
}

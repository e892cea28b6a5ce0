//
// The Socket.IO layer: the pipeline stage that reads the Socket.IO packets of
// each Engine.IO session (the connection's frames), connects its sockets to
// namespaces, runs the declarative and in-process handlers, and settles acks.
//
import { randomBytes } from 'node:crypto';
import { WsMockError, WsMockErrorCode, type Connection, type ConnectionArrivals, type ConnectionGroup, type KitHost, type Stage } from '../../kit/index.js';
import { realClearTimeout, realSetTimeout } from '../../util/clock.js';
import { CloseCode } from '../../util/closeCodes.js';
import { toError } from '../../util/toError.js';
import type { SocketIoConnectHook, SocketIoEventFunction, SocketIoEventReply, SocketIoRefusal } from './config.js';
import { IoDecoder, IoParseError, IoType, type IoPacket } from './ioParser.js';
import { ackArguments, failedAck } from './ack.js';
import type { RecoveryLog } from './recovery.js';
import { sendPacket } from './send.js';
import type { SocketDirectory } from './SocketIoBroadcast.js';
import { ServerSocket, type SocketIoEvent, type SocketIoSocket } from './SocketIoSocket.js';
import { isPromiseLike } from '../../util/promise.js';

/** A namespace of one mock version, ready to serve. */
export interface CompiledNamespace {
  readonly events: ReadonlyMap<string, SocketIoEventReply | SocketIoEventFunction>;
  readonly refuse: SocketIoRefusal | undefined;
  readonly connect: SocketIoConnectHook | undefined;
}

/** What the stage shares with the mock handle, across the mock's versions. */
export interface IoState extends SocketDirectory {
  readonly group: ConnectionGroup;
  /**
   * Sockets as they connect, for `waitForConnection()`: kept per session (a
   * released session takes its sockets with it), listed mock-wide.
   */
  readonly arrivals: ConnectionArrivals<SocketIoSocket>;
  /** Connected sockets, in the order they connected. */
  readonly open: Set<SocketIoSocket>;
  /** Set by each version: its `connectionStateRecovery`, the log kept across versions while it stays on. */
  recovery: RecoveryLog | undefined;
}

/** One session's Socket.IO state: its decoder, its sockets by namespace, and the connect timer. */
interface Client {
  readonly decoder: IoDecoder;
  readonly sockets: Map<string, ServerSocket>;
  /** Running until the session joins a namespace: the real server closes sessions that never do. */
  connectTimer: NodeJS.Timeout | undefined;
}


function isRefusal(value: unknown): value is SocketIoRefusal {
  return typeof value === 'object' && value !== null && typeof (value as SocketIoRefusal).message === 'string';
}

/** The socket id: 20 URL-safe characters, as the real server's. */
export function socketId(): string {
  return randomBytes(15).toString('base64url');
}

/** The connect_error a hook's verdict gives, or undefined when it accepts. */
function refusalOf(verdict: unknown): SocketIoRefusal | undefined {
  if (verdict === undefined || verdict === true) return undefined;
  if (verdict === false) return { message: 'Not authorized' };
  if (verdict instanceof Error) {
    const data = (verdict as Error & { data?: unknown }).data;
    return data === undefined ? { message: verdict.message } : { message: verdict.message, data };
  }
  if (isRefusal(verdict)) return verdict;
  return { message: 'connect hook returned an invalid verdict' };
}

/** The Socket.IO stage of one mock version. */
export function ioStage(namespaces: ReadonlyMap<string, CompiledNamespace>, connectTimeout: number, state: IoState, host: KitHost): Stage {
  const clients = new WeakMap<Connection, Client>();

  const detach = (socket: SocketIoSocket): void => {
    clients.get(socket.connection)?.sockets.delete(socket.namespace);
    state.open.delete(socket);
  };

  /**
   * A handler failed (threw, rejected, or its ack cannot be sent): the
   * server's `error` event has the error, and a client that asked for an ack
   * gets `{ error: message }` as its one argument (documented), so it is not
   * left waiting. Nothing here throws or rejects.
   */
  const fail = (socket: SocketIoSocket, arrival: SocketIoEvent, error: Error): void => {
    host.report(error, socket.connection);
    if (!arrival.ackRequested || !socket.connected) return;
    try {
      arrival.ack(...failedAck(error));
    } catch (err) {
      host.report(toError(err), socket.connection);
    }
  };

  const answer = (socket: SocketIoSocket, arrival: SocketIoEvent, args: unknown[]): void => {
    if (!arrival.ackRequested || !socket.connected) return;
    try {
      arrival.ack(...args);
    } catch (err) {
      fail(socket, arrival, toError(err));
    }
  };

  const runHandler = (namespace: CompiledNamespace, socket: SocketIoSocket, arrival: SocketIoEvent): void => {
    const handler = namespace.events.get(arrival.event);
    if (handler === undefined) return;
    if (typeof handler !== 'function') {
      // A client gone before the reply is written is not the mock's error.
      if (handler.emit) {
        socket.emit(...handler.emit).catch((err: unknown) => {
          if (!(err instanceof WsMockError && err.code === WsMockErrorCode.CONNECTION_CLOSED)) host.report(toError(err), socket.connection);
        });
      }
      if (handler.ack) answer(socket, arrival, handler.ack);
      return;
    }
    let result: unknown;
    try {
      result = handler(arrival.args, socket);
    } catch (err) {
      fail(socket, arrival, toError(err));
      return;
    }
    if (isPromiseLike(result)) {
      Promise.resolve(result).then(
        (value) => answer(socket, arrival, ackArguments(value)),
        (err: unknown) => fail(socket, arrival, toError(err)),
      );
    } else answer(socket, arrival, ackArguments(result));
  };

  /** Accepts a socket: a recovered one gets the events it missed first, then everyone the CONNECT (with the pid under recovery). */
  const accept = (client: Client, server: ServerSocket, missed: readonly (readonly unknown[])[] = []): void => {
    const socket = server.handle;
    if (!socket.connection.isOpen) return;
    if (client.connectTimer) realClearTimeout(client.connectTimer);
    client.connectTimer = undefined;
    client.sockets.set(socket.namespace, server);
    state.open.add(socket);
    for (const data of missed) sendPacket(socket.connection, { type: IoType.EVENT, nsp: socket.namespace, data });
    const { pid } = server;
    const data = pid === undefined ? { sid: socket.id } : { sid: socket.id, pid };
    sendPacket(socket.connection, { type: IoType.CONNECT, nsp: socket.namespace, data });
    state.arrivals.push(socket.connection, socket);
  };

  const refuse = (connection: Connection, nsp: string, refusal: SocketIoRefusal): void => {
    const data = refusal.data === undefined ? { message: refusal.message } : { message: refusal.message, data: refusal.data };
    try {
      sendPacket(connection, { type: IoType.CONNECT_ERROR, nsp, data });
    } catch (err) {
      // A hook's refusal whose data cannot be sent: the client still hears it is refused.
      host.report(toError(err), connection);
      sendPacket(connection, { type: IoType.CONNECT_ERROR, nsp, data: { message: refusal.message } });
    }
  };

  /** A CONNECT: the namespace must exist, then its refusal or hook decides. Async hooks hold the session's later packets. */
  const connect = (connection: Connection, client: Client, packet: IoPacket): boolean | Promise<boolean> => {
    const namespace = namespaces.get(packet.nsp);
    if (!namespace) {
      refuse(connection, packet.nsp, { message: 'Invalid namespace' });
      return true;
    }
    if (client.sockets.has(packet.nsp)) return invalidState(connection);
    const auth = (packet.data as Record<string, unknown> | undefined) ?? {};
    const recovery = state.recovery;
    // The client's CONNECT names its pid and last offset when it comes back.
    const restored =
      recovery && typeof auth.pid === 'string' && typeof auth.offset === 'string' ? recovery.restore(auth.pid, auth.offset, packet.nsp) : undefined;
    const skip = restored !== undefined && recovery!.settings.skipMiddlewares;
    if (namespace.refuse && !skip) {
      refuse(connection, packet.nsp, namespace.refuse);
      return true;
    }
    const server = new ServerSocket({
      id: restored?.id ?? socketId(),
      namespace: packet.nsp,
      auth,
      connection,
      group: state.group,
      directory: state,
      link: { detach },
      pid: restored?.pid ?? (recovery ? socketId() : undefined),
      recovered: restored,
    });
    if (!namespace.connect || skip) {
      accept(client, server, restored?.missed);
      return true;
    }
    const decide = (verdict: unknown): boolean => {
      const refusal = refusalOf(verdict);
      if (refusal) refuse(connection, packet.nsp, refusal);
      else accept(client, server, restored?.missed);
      return true;
    };
    let verdict: unknown;
    try {
      verdict = namespace.connect(server.handle);
    } catch (err) {
      return decide(toError(err));
    }
    if (isPromiseLike(verdict)) return Promise.resolve(verdict).then(decide, (err: unknown) => decide(toError(err)));
    return decide(verdict);
  };

  /**
   * A packet the session's state does not allow (a CONNECT to a namespace it
   * is connected to, anything else to one it is not): the real server closes
   * the whole session ("invalid state").
   */
  const invalidState = (connection: Connection): true => {
    void connection.close({ code: CloseCode.PROTOCOL_ERROR, reason: 'invalid state' });
    return true;
  };

  const dispatch = (connection: Connection, client: Client, packet: IoPacket): boolean | Promise<boolean> => {
    if (packet.type === IoType.CONNECT) return connect(connection, client, packet);
    const server = client.sockets.get(packet.nsp);
    if (!server) return invalidState(connection);
    switch (packet.type) {
      case IoType.DISCONNECT:
        server.close('client namespace disconnect');
        detach(server.handle);
        break;
      case IoType.EVENT:
      case IoType.BINARY_EVENT: {
        // The decoded array becomes the event's arguments: no copy per event.
        const args = packet.data as unknown[];
        const name = args.shift();
        const arrival = server.receiveEvent(String(name), args, packet.id);
        runHandler(namespaces.get(packet.nsp)!, server.handle, arrival);
        break;
      }
      case IoType.ACK:
      case IoType.BINARY_ACK:
        if (packet.id !== undefined) server.receiveAck(packet.id, packet.data as unknown[]);
        break;
      default:
      // A CONNECT_ERROR from a client means nothing to the server.
    }
    return true;
  };

  return {
    name: 'socketio',
    connect(connection) {
      const connectTimer = realSetTimeout(() => {
        void connection.close({ code: CloseCode.NORMAL, reason: 'connect timeout' });
      }, connectTimeout);
      clients.set(connection, { decoder: new IoDecoder(), sockets: new Map(), connectTimer });
    },
    inbound({ connection, message }) {
      const client = clients.get(connection);
      if (!client) return true;
      let packet: IoPacket | undefined;
      try {
        packet = client.decoder.add(message.binary ? (message.data as Buffer) : (message.text ?? ''));
      } catch (err) {
        if (!(err instanceof IoParseError)) throw err;
        // The real server closes the whole session on a packet it cannot parse.
        void connection.close({ code: CloseCode.PROTOCOL_ERROR, reason: `parse error: ${err.message}` });
        return true;
      }
      return packet ? dispatch(connection, client, packet) : true;
    },
    disconnect(connection) {
      const client = clients.get(connection);
      if (!client) return;
      if (client.connectTimer) realClearTimeout(client.connectTimer);
      for (const server of client.sockets.values()) {
        const socket = server.handle;
        // The session ended under the socket: with recovery on, it may come back (rooms read before they are left).
        const { pid } = server;
        if (state.recovery && pid !== undefined) {
          state.recovery.save({ id: socket.id, pid, namespace: socket.namespace, rooms: socket.rooms, data: socket.data });
        }
        server.close('transport close');
        state.open.delete(socket);
      }
      client.sockets.clear();
      clients.delete(connection);
    },
  };
}

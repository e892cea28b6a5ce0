//
// Emitting to many sockets at once: a namespace, some rooms, minus others.
// The packet is encoded once and written on each recipient's connection.
//
import { invalidArgument, type Connection } from '../../kit/index.js';
import { encodeIoPacket, IoType } from './ioParser.js';
import type { RecoveryLog } from './recovery.js';
import { assertEventName, writePacket } from './send.js';

/** What a broadcast needs of a socket (a Socket.IO socket handle). */
export interface BroadcastTarget {
  readonly id: string;
  readonly namespace: string;
  readonly connection: Connection;
  readonly connected: boolean;
  inRoom(room: string): boolean;
}

/** Where broadcasts find the connected sockets of the mock. */
export interface SocketDirectory {
  /** The connected sockets, in the order they connected. */
  sockets(): Iterable<BroadcastTarget>;
  /** Where events are kept for clients that miss them, when the mock has `connectionStateRecovery`. */
  readonly recovery: RecoveryLog | undefined;
}

function roomList(rooms: string | string[], what: string): string[] {
  const list = typeof rooms === 'string' ? [rooms] : rooms;
  if (!Array.isArray(list) || list.some((room) => typeof room !== 'string' || room === '')) {
    throw invalidArgument(`${what}(room): room must be a non-empty string or an array of them`);
  }
  return list;
}

/**
 * An emit to the sockets of one namespace: all of them, or those in `to()`
 * rooms, minus those in `except()` rooms. Each call returns a new operator,
 * as the real library's does.
 *
 * @example
 * ```ts
 * io.to('general').except('muted').emit('message', { text: 'hi' });
 * ```
 */
export class SocketIoBroadcast {
  readonly #directory: SocketDirectory;
  readonly #namespace: string;
  readonly #rooms: readonly string[];
  readonly #exceptRooms: readonly string[];
  readonly #exceptSocket: BroadcastTarget | undefined;

  /** @internal Made by `mock.to()`, `mock.of(ns)`, `socket.to()` and the like. */
  constructor(
    directory: SocketDirectory,
    namespace: string,
    options: { rooms?: readonly string[]; exceptRooms?: readonly string[]; except?: BroadcastTarget | undefined } = {},
  ) {
    this.#directory = directory;
    this.#namespace = namespace;
    this.#rooms = options.rooms ?? [];
    this.#exceptRooms = options.exceptRooms ?? [];
    this.#exceptSocket = options.except;
  }

  /** Only sockets in `room` (several calls: in any of them). */
  to(room: string | string[]): SocketIoBroadcast {
    return this.#with({ rooms: [...this.#rooms, ...roomList(room, 'to')] });
  }

  /** Same as {@link SocketIoBroadcast.to}. */
  in(room: string | string[]): SocketIoBroadcast {
    return this.to(room);
  }

  /** Leaves out sockets in `room`. */
  except(room: string | string[]): SocketIoBroadcast {
    return this.#with({ exceptRooms: [...this.#exceptRooms, ...roomList(room, 'except')] });
  }

  /** The sockets an emit would reach now. */
  #recipients(): BroadcastTarget[] {
    const out: BroadcastTarget[] = [];
    for (const socket of this.#directory.sockets()) {
      if (socket.namespace !== this.#namespace || socket === this.#exceptSocket || !socket.connected) continue;
      if (this.#rooms.length > 0 && !this.#rooms.some((room) => socket.inRoom(room))) continue;
      if (this.#exceptRooms.some((room) => socket.inRoom(room))) continue;
      out.push(socket);
    }
    return out;
  }

  /**
   * Emits to every socket addressed, synchronously, and returns how many
   * there were (fan-out does not wait for each write). With
   * `connectionStateRecovery` the event carries its offset and is kept for
   * the clients of these rooms that are away, even when none is connected.
   */
  emit(event: string, ...args: unknown[]): number {
    assertEventName(event);
    const recipients = this.#recipients();
    const recovery = this.#directory.recovery;
    if (recipients.length === 0 && !recovery) return 0;
    const data: unknown[] = [event, ...args];
    const offset = recovery?.nextOffset();
    if (offset !== undefined) data.push(offset);
    const encoded = encodeIoPacket({ type: IoType.EVENT, nsp: this.#namespace, data });
    if (offset !== undefined) {
      const except = this.#exceptSocket ? [...this.#exceptRooms, this.#exceptSocket.id] : this.#exceptRooms;
      recovery!.keep(offset, this.#namespace, data, this.#rooms, except);
    }
    for (const socket of recipients) writePacket(socket.connection, encoded);
    return recipients.length;
  }

  #with(change: { rooms?: readonly string[]; exceptRooms?: readonly string[] }): SocketIoBroadcast {
    return new SocketIoBroadcast(this.#directory, this.#namespace, {
      rooms: change.rooms ?? this.#rooms,
      exceptRooms: change.exceptRooms ?? this.#exceptRooms,
      except: this.#exceptSocket,
    });
  }
}

//
// Connection state recovery, as the real server's `connectionStateRecovery`
// (socket.io 4.6+, its SessionAwareAdapter): every event emitted without an
// ack carries an offset as its last argument and is kept for
// `maxDisconnectionDuration`; a socket whose session ends on the transport's
// side is kept too (id, pid, rooms, data). A client reconnecting within the
// window sends its pid and the last offset it got in its CONNECT, and gets
// its socket back: the same id, rooms and data, and the events it missed,
// before the CONNECT, so they reach its listeners before `connect` fires.
//
import { realNow } from '../../util/clock.js';

/** The settings of `connectionStateRecovery`, resolved. */
export interface RecoverySettings {
  /** Milliseconds a socket can be gone and still be recovered. */
  readonly maxDisconnectionDuration: number;
  /** Whether a recovered socket skips the namespace's `connect` hook and `refuse`. */
  readonly skipMiddlewares: boolean;
}

/** An event kept for clients that may miss it: its data ends with its offset. */
interface KeptEvent {
  readonly offset: string;
  readonly at: number;
  readonly namespace: string;
  /** Rooms it went to; empty: the whole namespace. */
  readonly rooms: readonly string[];
  readonly except: readonly string[];
  readonly data: readonly unknown[];
}

/** A socket whose session ended, kept by its pid. */
export interface SavedSocket {
  readonly id: string;
  readonly pid: string;
  readonly namespace: string;
  /** Its rooms, its own id included. */
  readonly rooms: readonly string[];
  readonly data: Record<string, unknown>;
}

/** A socket to bring back, and the events it missed (each an EVENT's data, offset included). */
export interface RestoredSocket extends SavedSocket {
  readonly missed: readonly (readonly unknown[])[];
}

const now = (): number => realNow().getTime();

/** Where a Socket.IO mock keeps what recovery needs; it lives as long as the mock. */
export class RecoveryLog {
  settings: RecoverySettings;
  readonly #sessions = new Map<string, SavedSocket & { readonly at: number }>();
  /** Oldest first; `#head` skips the expired ones until they are spliced off. */
  #events: KeptEvent[] = [];
  #head = 0;
  #nextOffset = 0;

  constructor(settings: RecoverySettings) {
    this.settings = settings;
  }

  /** The offset the next kept event carries. */
  nextOffset(): string {
    return (this.#nextOffset++).toString(36);
  }

  /** Keeps an event (its data already ends with `offset`) for sockets that miss it. */
  keep(offset: string, namespace: string, data: readonly unknown[], rooms: readonly string[], except: readonly string[]): void {
    const at = now();
    this.#expireEvents(at);
    this.#events.push({ offset, at, namespace, rooms, except, data });
  }

  /** A socket's session ended on the transport's side: it may come back. */
  save(socket: SavedSocket): void {
    const at = now();
    this.#expireSessions(at);
    this.#sessions.set(socket.pid, { ...socket, at });
  }

  /**
   * The socket of `pid` on `namespace` and the events after `offset` it
   * should have had; undefined when the window has passed, the offset is no
   * longer kept, or there is no such socket (the real server's rules).
   */
  restore(pid: string, offset: string, namespace: string): RestoredSocket | undefined {
    const at = now();
    this.#expireEvents(at);
    const saved = this.#sessions.get(pid);
    if (!saved || saved.namespace !== namespace) return undefined;
    if (saved.at < at - this.settings.maxDisconnectionDuration) {
      this.#sessions.delete(pid);
      return undefined;
    }
    this.#sessions.delete(pid);
    let index = -1;
    for (let i = this.#head; i < this.#events.length; i++) {
      if (this.#events[i]!.offset === offset) {
        index = i;
        break;
      }
    }
    if (index === -1) return undefined;
    const missed: (readonly unknown[])[] = [];
    for (let i = index + 1; i < this.#events.length; i++) {
      const event = this.#events[i]!;
      if (event.namespace !== namespace) continue;
      const included = event.rooms.length === 0 || saved.rooms.some((room) => event.rooms.includes(room));
      const excluded = saved.rooms.some((room) => event.except.includes(room));
      if (included && !excluded) missed.push(event.data);
    }
    const { at: _at, ...socket } = saved;
    return { ...socket, missed };
  }

  /** Forgets sockets gone longer than the window (on each save: disconnects are rarer than emits). */
  #expireSessions(at: number): void {
    const threshold = at - this.settings.maxDisconnectionDuration;
    for (const [pid, session] of this.#sessions) if (session.at < threshold) this.#sessions.delete(pid);
  }

  /** Drops events older than the window: they are the oldest, at the head. */
  #expireEvents(at: number): void {
    const threshold = at - this.settings.maxDisconnectionDuration;
    while (this.#head < this.#events.length && this.#events[this.#head]!.at < threshold) this.#head++;
    if (this.#head > 1024 && this.#head * 2 > this.#events.length) {
      this.#events = this.#events.slice(this.#head);
      this.#head = 0;
    }
  }
}

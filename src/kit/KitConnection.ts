//
// The connection a plain kit works with, and the handle its tests get: the
// few things a protocol needs (frames in, frames out, close, the request),
// over the connection wsmock made. The listeners belong to the seam's kit
// stage (stage.ts), which calls them; this handle only adds to them.
//
import type { IncomingHttpHeaders } from 'node:http';
import type { Connection } from '../connections/Connection.js';
import type { Message } from '../connections/Message.js';
import type { CloseInfo, CloseOptions, SendData, SendOptions } from '../connections/types.js';

/** A frame listener of {@link KitConnection.onMessage}; it may return a promise (what it sends), whose rejection is reported. @beta */
export type KitMessageListener = (message: Message) => void | Promise<unknown>;
/** A close listener of {@link KitConnection.onClose}. @beta */
export type KitCloseListener = (info: CloseInfo) => void;

/** The listeners of one connection, owned by the kit stage. @internal */
export interface KitListeners {
  readonly message: KitMessageListener[];
  readonly close: KitCloseListener[];
}

const kKitConnection = Symbol.for('wsmock.kit-connection');

/**
 * One connection of a kit's mock, as the kit's `connect` sees it and as
 * `mock.waitForConnection()` returns it (with the kit's `connection` methods).
 * The journal, waits and matchers are the underlying {@link Connection}'s:
 * `conn.connection`.
 *
 * @beta
 */
export class KitConnection {
  /** The connection wsmock made: journal (`messages`), `waitForMessage`, `ping`, matchers. */
  readonly connection: Connection;
  readonly #listeners: KitListeners;

  /** @internal Made by the seam, one per connection. */
  constructor(connection: Connection, listeners: KitListeners) {
    this.connection = connection;
    this.#listeners = listeners;
    Object.defineProperty(this, kKitConnection, { value: true });
  }

  /** True for a kit connection from this copy of wsmock or another. */
  static [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[kKitConnection] === true;
  }

  /** The connection id (`conn-3`), as in the journal and the admin API. */
  get id(): string {
    return this.connection.id;
  }

  /** The values of the path's `:name` segments. */
  get params(): Readonly<Record<string, string>> {
    return this.connection.params;
  }

  /** The query string of the request, decoded. */
  get query(): Readonly<Record<string, string>> {
    return this.connection.query;
  }

  /** The request's headers. */
  get headers(): Readonly<IncomingHttpHeaders> {
    return this.connection.headers;
  }

  /** A scratch object of the connection, for the kit's per-connection state (the same as `connection.data`). */
  get data(): Record<string, unknown> {
    return this.connection.data;
  }

  /** Whether the connection is open. */
  get isOpen(): boolean {
    return this.connection.isOpen;
  }

  /**
   * Calls `listener` with every frame the client sends, after the journal has
   * it. A listener that throws, or returns a promise that rejects
   * (`return conn.send(…)` once the client has gone), is reported on
   * `server.on('error')`; the connection stays open.
   */
  onMessage(listener: KitMessageListener): void {
    this.#listeners.message.push(listener);
  }

  /** Calls `listener` once the connection has closed, with how it closed. */
  onClose(listener: KitCloseListener): void {
    this.#listeners.close.push(listener);
  }

  /** Sends a frame (text, JSON for objects, bytes for a Buffer); resolves once written. */
  send(data: SendData, options?: SendOptions): Promise<void> {
    return this.connection.send(data, options);
  }

  /** Closes the connection (default 1000); resolves with how it closed. */
  close(options?: CloseOptions): Promise<CloseInfo> {
    return this.connection.close(options);
  }
}


//
// The server's side of one client, as `WS` hands it out (`await
// server.connected`, `on('connection')`): a thin face over a wsmock Connection.
//
import { setTimeout as realSetTimeout } from 'node:timers';
import type { Connection } from '../../index.js';
import { invalidArgument } from '../../errors.js';
import { isBytes, toBuffer, validClose, type CloseOptions } from './input.js';

/** What `on('close')` listeners get when a client's connection closes. */
export interface WSCloseEvent {
  /** Always `close`. */
  type: 'close';
  /** The close code. */
  code: number;
  /** The close reason. */
  reason: string;
  /** True when the close handshake completed (false when the socket dropped, 1006, or `server.error()` failed it). */
  wasClean: boolean;
  /** The server's side of that client, or undefined when the `WS` itself closed. */
  target: WSSocket | undefined;
}

/**
 * The server's side of one client: what `await server.connected` resolves with
 * and `on('connection')` listeners get.
 */
export interface WSSocket {
  /** The URL the client asked for (`ws://` + its Host header + path and query). */
  readonly url: string;
  /** The subprotocol agreed with the client, or `''`. */
  readonly protocol: string;
  /** The server side's ready state: 1 open, 2 closing, 3 closed. */
  readonly readyState: number;
  /** The wsmock connection behind this socket, for everything the core API offers. */
  readonly connection: Connection;
  /** Sends to this client only: a string as text, bytes as binary. Not serialised, even with `jsonProtocol`. */
  send(data: string | ArrayBuffer | ArrayBufferView): void;
  /** Closes this client's connection (code 1000 unless given). */
  close(options?: CloseOptions): void;
  /** `message` (the text or bytes the client sent), `close` ({@link WSCloseEvent}) or `error`. */
  on(event: 'message' | 'close' | 'error', callback: (payload: any) => void): void;
}

/** A real-clock turn of the timer queue: lets clients that deliver events on a timer (jsdom) deliver them first. */
export function afterClientTimers(): Promise<void> {
  return new Promise((resolve) => realSetTimeout(resolve, 0));
}

/** Resolves once the client has processed every frame sent to it so far (a ping's round trip), or the connection ends. */
export function delivered(connection: Connection): Promise<void> {
  return connection.ping().then(
    () => undefined,
    () => undefined,
  );
}

/** Resolves once the connection is closed. */
export function whenClosed(connection: Connection): Promise<void> {
  if (connection.closeInfo) return Promise.resolve();
  return new Promise((resolve) => connection.once('close', () => resolve()));
}

type SocketEvent = 'message' | 'close' | 'error';

/** @internal The {@link WSSocket} of one connection. */
export class CompatSocket implements WSSocket {
  /** Settles once the client has processed the handshake and what the `connection` listeners sent. */
  ready: Promise<void> = Promise.resolve();
  /** @internal Set by `server.error()`: the client failed the connection, so its close is not clean. */
  failed = false;
  readonly #listeners: Record<SocketEvent, ((payload: any) => void)[]> = { message: [], close: [], error: [] };
  readonly #encode: (data: unknown, method: string) => string | Buffer;

  constructor(
    readonly connection: Connection,
    encode: (data: unknown, method: string) => string | Buffer,
  ) {
    this.#encode = encode;
  }

  get url(): string {
    const host = this.connection.headers.host;
    return `ws://${typeof host === 'string' ? host : 'localhost'}${this.connection.url}`;
  }

  get protocol(): string {
    return this.connection.subprotocol ?? '';
  }

  get readyState(): number {
    return this.connection.readyState;
  }

  send(data: string | ArrayBuffer | ArrayBufferView): void {
    const frame = typeof data === 'string' ? data : isBytes(data) ? toBuffer(data) : this.#encode(data, 'socket.send()');
    this.connection.send(frame).catch(() => undefined);
  }

  close(options?: CloseOptions): void {
    void this.connection.close(validClose(options, 'socket.close()'));
  }

  /** @internal Makes the client fail the connection; resolves once it is closed (at once when it already was). */
  fail(): Promise<void> {
    this.failed = true;
    return this.connection.fail().then(
      () => undefined,
      () => undefined,
    );
  }

  on(event: SocketEvent, callback: (payload: any) => void): void {
    if (!(event in this.#listeners)) throw invalidArgument(`socket.on(event): event must be 'message', 'close' or 'error', got ${JSON.stringify(event)}.`);
    this.#listeners[event].push(callback);
  }

  /** @internal */
  emit(event: SocketEvent, payload: unknown): void {
    for (const listener of this.#listeners[event]) listener(payload);
  }
}

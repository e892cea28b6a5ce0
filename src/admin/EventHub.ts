//
// The admin event stream (`GET /events`): one Server-Sent Events response per
// subscriber, fed from the server's events. The hub listens to the server only
// while at least one stream is open, and its `stats` timer exists only then:
// with no subscriber, a frame costs the server nothing more than before.
//
import type { ServerResponse } from 'node:http';
import type { Connection } from '../connections/Connection.js';
import type { Message } from '../connections/Message.js';
import type { CloseInfo } from '../connections/types.js';
import type { Mock } from '../mocks/Mock.js';
import type { ContractViolation } from '../asyncapi/types.js';
import { realClearInterval, realSetInterval } from '../util/clock.js';
import { EVENT_STREAM_HEADERS, formatEvent } from '../util/eventStream.js';
import { closeSummary, FRAME_PAYLOAD_LIMIT, frameSummary, listedMock, violationSummary } from './eventPayloads.js';
import type { Holds } from './holds.js';
import type { AdminTarget } from './target.js';

/** A subscriber whose unsent bytes pass this (1 MiB) is dropped: it stopped reading. */
export const MAX_BUFFERED_BYTES = 1024 * 1024;

/** How often the `stats` event goes out, ms. */
export const STATS_INTERVAL = 1000;

/** What one subscriber asked for. */
export interface StreamOptions {
  /** Include frame payloads in `message` events (cut at {@link FRAME_PAYLOAD_LIMIT}). */
  frames: boolean;
  /** Only this connection's `connection`, `message` and `close` events. */
  connectionId: string | undefined;
}

interface Subscriber extends StreamOptions {
  res: ServerResponse;
  forget: () => void;
}

/** An event's wire text, made at most once per variant (with and without payloads) however many subscribers. */
type Render = (frames: boolean) => string;

/** The event streams of one admin handler. */
export class EventHub {
  readonly #server: AdminTarget;
  readonly #holds: Holds;
  readonly #maxBuffered: number;
  readonly #subscribers = new Set<Subscriber>();
  #timer: ReturnType<typeof realSetInterval> | undefined;

  constructor(server: AdminTarget, holds: Holds, maxBuffered = MAX_BUFFERED_BYTES) {
    this.#server = server;
    this.#holds = holds;
    this.#maxBuffered = maxBuffered;
  }

  /** Open streams now. */
  get size(): number {
    return this.#subscribers.size;
  }

  /** Starts an event stream on `res`; it lasts until the client leaves, falls behind, or the handler or server closes. */
  subscribe(res: ServerResponse, options: StreamOptions): void {
    res.writeHead(200, EVENT_STREAM_HEADERS);
    const subscriber: Subscriber = { ...options, res, forget: () => {} };
    subscriber.forget = this.#holds.add(() => this.#end(subscriber));
    res.on('close', () => this.#remove(subscriber));
    this.#subscribers.add(subscriber);
    if (this.#subscribers.size === 1) this.#attach();
    // `ready` tells the client the stream is live: what it reads from the API
    // after this is covered by the events that follow.
    this.#write(subscriber, formatEvent({ event: 'ready', data: JSON.stringify({ frames: options.frames, payloadLimit: FRAME_PAYLOAD_LIMIT }) }));
  }

  #emit(event: string, payload: (frames: boolean) => unknown, connectionId?: string): void {
    const texts: [string?, string?] = [];
    const render: Render = (frames) => (texts[frames ? 1 : 0] ??= formatEvent({ event, data: JSON.stringify(payload(frames)) }));
    for (const subscriber of [...this.#subscribers]) {
      if (connectionId !== undefined && subscriber.connectionId !== undefined && subscriber.connectionId !== connectionId) continue;
      this.#write(subscriber, render(subscriber.frames));
    }
  }

  #write(subscriber: Subscriber, text: string): void {
    const { res } = subscriber;
    if (res.destroyed || res.writableEnded) return;
    res.write(text);
    // A client that stopped reading: its bytes pile up in our buffer. Drop it
    // rather than hold them without bound; the server goes on.
    if (res.writableLength > this.#maxBuffered) {
      res.destroy();
      this.#remove(subscriber);
    }
  }

  #end(subscriber: Subscriber): void {
    this.#remove(subscriber);
    if (!subscriber.res.writableEnded) subscriber.res.end();
  }

  #remove(subscriber: Subscriber): void {
    if (!this.#subscribers.delete(subscriber)) return;
    subscriber.forget();
    if (this.#subscribers.size === 0) this.#detach();
  }

  readonly #on = {
    connection: (connection: Connection) => this.#emit('connection', () => connection.info, connection.id),
    message: (connection: Connection, message: Message) => this.#emit('message', (frames) => frameSummary(connection, message, frames), connection.id),
    close: (connection: Connection, info: CloseInfo) => this.#emit('close', () => closeSummary(connection, info), connection.id),
    added: (mock: Mock) => this.#emit('mock:added', () => listedMock(mock)),
    updated: (mock: Mock) => this.#emit('mock:updated', () => listedMock(mock)),
    removed: (mock: Mock) => this.#emit('mock:removed', () => ({ id: mock.id, type: mock.type })),
    violation: (violation: ContractViolation, connection: Connection) => this.#emit('contract:violation', () => violationSummary(connection, violation), connection.id),
    closing: () => this.#holds.closeAll(),
  };

  #attach(): void {
    const server = this.#server;
    server.on('connection', this.#on.connection);
    server.on('message', this.#on.message);
    server.on('sent', this.#on.message);
    server.on('close', this.#on.close);
    server.on('mock:added', this.#on.added);
    server.on('mock:updated', this.#on.updated);
    server.on('mock:removed', this.#on.removed);
    server.on('contract:violation', this.#on.violation);
    server.on('closing', this.#on.closing);
    this.#timer = realSetInterval(() => this.#emit('stats', () => this.#server.stats()), STATS_INTERVAL);
  }

  #detach(): void {
    const server = this.#server;
    server.off('connection', this.#on.connection);
    server.off('message', this.#on.message);
    server.off('sent', this.#on.message);
    server.off('close', this.#on.close);
    server.off('mock:added', this.#on.added);
    server.off('mock:updated', this.#on.updated);
    server.off('mock:removed', this.#on.removed);
    server.off('contract:violation', this.#on.violation);
    server.off('closing', this.#on.closing);
    realClearInterval(this.#timer);
    this.#timer = undefined;
  }
}

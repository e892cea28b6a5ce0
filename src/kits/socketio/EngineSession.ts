//
// One Engine.IO session, as a wsmock Transport: the connection above it sees
// the session's `message` packets as frames (the Socket.IO packets) and never
// the transport under it. The session starts on HTTP long-polling or on a
// WebSocket, may move from polling to a WebSocket once (the upgrade), and
// keeps itself alive with the v4 heartbeat: the server pings every
// `pingInterval`, the client must answer within `pingTimeout`.
//
import type { ServerResponse } from 'node:http';
import type { ClosedBy, Transport, TransportSink } from '../../kit/index.js';
import { realClearTimeout, realSetTimeout } from '../../util/clock.js';
import { CloseCode } from '../../util/closeCodes.js';
import { decodePacket, decodePayload, type EnginePacket, EngineType } from './engineParser.js';
import { Polling, SESSION_CLOSED, type Callback } from './Polling.js';

/** The Engine.IO settings a session runs with (milliseconds, bytes). */
export interface EngineSettings {
  readonly pingInterval: number;
  readonly pingTimeout: number;
  readonly maxPayload: number;
}

/** Who holds an accepted WebSocket's events: the session, and which socket it is. */
interface WsOwner {
  readonly session: EngineSession;
  readonly ws: Transport;
}

const MESSAGE_PREFIX = EngineType.message.charCodeAt(0);

let wsSink: TransportSink<WsOwner>;

/** The Engine.IO session: one client of a Socket.IO mock, whatever carries it. */
export class EngineSession implements Transport {
  readonly sid: string;
  readonly protocol = '';
  readonly remoteAddress: string;
  readonly #settings: EngineSettings;
  readonly #forget: () => void;
  #state: 'open' | 'closing' | 'closed' = 'open';
  /** The WebSocket carrying the session, once it does. */
  #ws: Transport | undefined;
  /** A WebSocket being probed for the upgrade. */
  #probe: Transport | undefined;
  /** Long-polling, until a WebSocket carries the session. */
  readonly #polling = new Polling();
  #owner: unknown;
  #sink: TransportSink<unknown> | undefined;
  #pingTimer: NodeJS.Timeout | undefined;
  #pongTimer: NodeJS.Timeout | undefined;
  /** After a ping timeout: drops the WebSocket if the client never answers the close frame. */
  #dropTimer: NodeJS.Timeout | undefined;
  /** Payloads of `conn.ping()` calls, settled in order by the client's pongs. */
  #pings: Buffer[] = [];

  /** `forget` takes the session out of its mock's table once it ends. */
  constructor(sid: string, remoteAddress: string, settings: EngineSettings, forget: () => void) {
    this.sid = sid;
    this.remoteAddress = remoteAddress;
    this.#settings = settings;
    this.#forget = forget;
  }

  static {
    wsSink = {
      frame: ({ session, ws }, data, binary) => session.#onWsFrame(ws, data, binary),
      closed: ({ session, ws }, code, reason, by) => session.#onWsClosed(ws, code, reason, by),
      pong: () => {},
    };
  }

  /** The open packet: what the client learns of the session. */
  openPacket(upgrades: string[]): EnginePacket {
    const { pingInterval, pingTimeout, maxPayload } = this.#settings;
    return { type: 'open', data: JSON.stringify({ sid: this.sid, upgrades, pingInterval, pingTimeout, maxPayload }) };
  }

  /** Which transport carries the session now. */
  get transportName(): 'polling' | 'websocket' {
    return this.#ws ? 'websocket' : 'polling';
  }

  get readyState(): number {
    return this.#state === 'open' ? 1 : this.#state === 'closing' ? 2 : 3;
  }

  /** Whether the session is open and still on long-polling with no probe running (an upgrade may join it). */
  get upgradable(): boolean {
    return this.#state === 'open' && !this.#ws && !this.#probe;
  }

  bind<Owner>(owner: Owner, sink: TransportSink<Owner>): void {
    this.#owner = owner;
    this.#sink = sink as TransportSink<unknown>;
  }

  /** Starts the session on `ws` (a WebSocket handshake without a sid). */
  startOnWebSocket(ws: Transport): void {
    this.#ws = ws;
    ws.bind<WsOwner>({ session: this, ws }, wsSink);
    this.#sendOnWs(this.openPacket([]));
    this.#schedulePing();
  }

  /** Starts the session on long-polling: the handshake GET gets the open packet. */
  startOnPolling(response: ServerResponse): void {
    this.#polling.send(this.openPacket(['websocket']));
    this.#polling.hold(response);
    this.#schedulePing();
  }

  /** A WebSocket that names this session: it is probed, then carries the session. */
  probe(ws: Transport): void {
    this.#probe = ws;
    ws.bind<WsOwner>({ session: this, ws }, wsSink);
  }

  write(bytes: Buffer, binary: boolean, callback?: Callback): void {
    if (this.#state !== 'open') {
      callback?.(SESSION_CLOSED);
      return;
    }
    if (this.#ws) {
      this.#ws.write(binary ? bytes : withPrefix(bytes), binary, callback);
      return;
    }
    this.#polling.send({ type: 'message', data: binary ? bytes : bytes.toString('utf8') }, callback);
  }

  close(code: number, reason: string): void {
    if (this.#state !== 'open') return;
    if (this.#ws) {
      this.#state = 'closing';
      this.#stopHeartbeat();
      this.#ws.close(code, reason);
      return;
    }
    // Long-polling has no close handshake: the close packet goes with the
    // pending GET and the session ends, after the caller has set up its wait.
    this.#state = 'closing';
    queueMicrotask(() => this.#end(code, reason, 'server'));
  }

  terminate(): void {
    if (this.#state === 'closed') return;
    if (this.#ws) this.#ws.terminate();
    this.#polling.destroy();
    this.#end(1006, '', 'server');
  }

  /**
   * On a WebSocket, makes the client fail it (the session ends when that
   * socket goes, with the close it reports). Long-polling has no frame to
   * break: false, and nothing happens.
   */
  fail(): boolean {
    if (this.#state !== 'open' || this.#ws?.fail?.() !== true) return false;
    this.#state = 'closing';
    this.#stopHeartbeat();
    return true;
  }

  /** A ping for `conn.ping()`: the client's next pong settles it. */
  ping(data?: Buffer): void {
    this.#pings.push(data ?? Buffer.alloc(0));
    this.#send({ type: 'ping' });
  }

  /** A long-polling GET: answered with what is queued, or held until something is. */
  get(response: ServerResponse): void {
    if (this.#polling.hold(response)) return;
    // Two GETs at once: the real server closes the session ("overlap from client").
    badRequest(response);
    this.abort('overlap from client');
  }

  /** A long-polling POST: the packets of its body, in order. */
  post(body: string, response: ServerResponse): void {
    response.writeHead(200, { 'content-type': 'text/html', 'content-length': 2 });
    response.end('ok');
    const packets = decodePayload(body);
    if (!packets) {
      this.abort('parse error');
      return;
    }
    for (const packet of packets) {
      if (this.#state !== 'open') return;
      this.#onPacket(packet);
    }
  }

  /** Whether a POST is being read: a second one at once closes the session. */
  beginPost(): boolean {
    return this.#polling.beginPost();
  }

  endPost(): void {
    this.#polling.endPost();
  }

  /** The session is broken (bad packet, overlapping requests, too large a body): it closes as the real server does. */
  abort(reason: string): void {
    if (this.#state === 'closed') return;
    const ws = this.#ws;
    this.#end(CloseCode.PROTOCOL_ERROR, reason, 'server');
    ws?.close(CloseCode.PROTOCOL_ERROR, reason);
  }

  /** The client went away mid-request: the session ends as a network failure (no close packet can reach it). */
  drop(reason: string): void {
    if (this.#state === 'closed') return;
    const ws = this.#ws;
    this.#end(1006, reason, 'network');
    ws?.terminate();
  }

  #onPacket(packet: EnginePacket): void {
    switch (packet.type) {
      case 'message':
        if (Buffer.isBuffer(packet.data)) this.#sink!.frame(this.#owner, packet.data, true);
        else this.#sink!.frame(this.#owner, Buffer.from(packet.data ?? '', 'utf8'), false);
        return;
      case 'pong': {
        if (this.#pongTimer) {
          realClearTimeout(this.#pongTimer);
          this.#pongTimer = undefined;
          this.#schedulePing();
        }
        const ping = this.#pings.shift();
        if (ping) this.#sink!.pong(this.#owner, ping);
        return;
      }
      case 'close':
        // The pending GET gets a noop, as engine.io answers it: the client
        // closed, it needs no close packet back.
        this.#end(CloseCode.NORMAL, 'transport close', 'client', { type: 'noop' });
        this.#ws?.close(CloseCode.NORMAL, 'transport close');
        return;
      case 'noop':
        return;
      default:
        // A v4 client never pings, opens or upgrades here.
        this.abort(`invalid packet type "${packet.type}"`);
    }
  }

  #onWsFrame(ws: Transport, data: Buffer, binary: boolean): void {
    if (this.#state !== 'open') return;
    // The common case, a text `message` on the carrying socket, goes up as the
    // bytes after its type digit, never decoded here.
    if (ws === this.#ws && !binary && data[0] === MESSAGE_PREFIX) {
      this.#sink!.frame(this.#owner, data.subarray(1), false);
      return;
    }
    const packet = decodePacket(data, binary);
    if (ws === this.#ws) {
      if (packet) this.#onPacket(packet);
      else this.abort('parse error');
      return;
    }
    if (ws !== this.#probe) return;
    if (packet?.type === 'ping' && packet.data === 'probe') {
      ws.write(Buffer.from(`${EngineType.pong}probe`), false);
      // Releases the pending GET, so the client can pause polling and upgrade.
      this.#polling.send({ type: 'noop' });
      return;
    }
    if (packet?.type === 'upgrade') {
      this.#probe = undefined;
      this.#ws = ws;
      const { packets, callbacks } = this.#polling.stop({ type: 'noop' });
      for (const p of packets) this.#sendOnWs(p);
      for (const callback of callbacks) callback();
      return;
    }
    // Anything else during the probe: the probe fails, polling goes on.
    this.#probe = undefined;
    ws.close(CloseCode.PROTOCOL_ERROR, 'invalid upgrade');
  }

  #onWsClosed(ws: Transport, code: number, reason: string, by: ClosedBy): void {
    if (ws === this.#probe) this.#probe = undefined;
    if (this.#dropTimer && ws === this.#ws) {
      realClearTimeout(this.#dropTimer);
      this.#dropTimer = undefined;
    }
    if (ws === this.#ws) this.#end(code, reason, by);
  }

  #send(packet: EnginePacket): void {
    if (this.#ws) this.#sendOnWs(packet);
    else this.#polling.send(packet);
  }

  #sendOnWs(packet: EnginePacket): void {
    if (Buffer.isBuffer(packet.data)) this.#ws!.write(packet.data, true);
    else this.#ws!.write(Buffer.from(EngineType[packet.type] + (packet.data ?? ''), 'utf8'), false);
  }

  #schedulePing(): void {
    this.#pingTimer = realSetTimeout(() => {
      this.#pingTimer = undefined;
      this.#send({ type: 'ping' });
      this.#pongTimer = realSetTimeout(() => {
        this.#pongTimer = undefined;
        this.#end(1006, 'ping timeout', 'network');
        this.#dropWebSocket();
      }, this.#settings.pingTimeout);
    }, this.#settings.pingInterval);
  }

  /**
   * A ping timeout on a WebSocket: engine.io closes it with a close frame
   * without a code (the client sees 1005, not 1006). A client that does not
   * answer it within another `pingTimeout` is dropped; the timer does not
   * hold the process.
   */
  #dropWebSocket(): void {
    const ws = this.#ws;
    if (!ws) return;
    ws.close(CloseCode.NO_STATUS, '');
    this.#dropTimer = realSetTimeout(() => {
      this.#dropTimer = undefined;
      ws.terminate();
    }, this.#settings.pingTimeout);
    this.#dropTimer.unref();
  }

  #stopHeartbeat(): void {
    if (this.#pingTimer) realClearTimeout(this.#pingTimer);
    if (this.#pongTimer) realClearTimeout(this.#pongTimer);
    this.#pingTimer = this.#pongTimer = undefined;
  }

  /**
   * Ends the session once: timers stop, a pending GET gets `last` (the close
   * packet, or a noop when the client closed), the connection hears of it.
   */
  #end(code: number, reason: string, by: ClosedBy, last: EnginePacket = { type: 'close' }): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.#stopHeartbeat();
    this.#forget();
    this.#probe?.close(CloseCode.GOING_AWAY, 'session closed');
    this.#probe = undefined;
    const { callbacks } = this.#polling.stop(last);
    for (const callback of callbacks) callback(SESSION_CLOSED);
    this.#sink?.closed(this.#owner, code, reason, by);
  }
}

/** A text frame as an Engine.IO `message` packet: its type digit, then the bytes. */
function withPrefix(bytes: Buffer): Buffer {
  const out = Buffer.allocUnsafe(bytes.length + 1);
  out[0] = MESSAGE_PREFIX;
  bytes.copy(out, 1);
  return out;
}

/** The real server's answer to a request that breaks the protocol. */
export function badRequest(response: ServerResponse, code = 3, message = 'Bad request'): void {
  const body = JSON.stringify({ code, message });
  response.writeHead(400, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  response.end(body);
}

//
// The `ws` transport: everything wsmock knows about the `ws` package.
//
// One acceptor per server performs upgrades with a `WebSocketServer` in
// `noServer` mode per distinct frame limit (ws reads `maxPayload` from its
// server), choosing the subprotocol and adding headers per request. Each
// accepted socket is wrapped in a `WsTransport`, which tells its connection
// who closed it and with what: ws itself reports the code the peer echoed and
// 1006 for its own protocol errors, neither of which is what happened.
//
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import WebSocket, { WebSocketServer } from 'ws';
import { realNextTick } from '../util/clock.js';
import { CloseCode } from '../util/closeCodes.js';
import type { Transport, TransportSink } from './types.js';

/** How one upgrade is to be accepted. */
export interface AcceptOptions {
  /** The largest frame; a bigger one closes the connection with 1009. */
  maxPayload: number;
  /** The subprotocol to answer with, if any. */
  protocol: string | undefined;
  /** Extra response headers. */
  headers: Readonly<Record<string, string>>;
  /** The handshake was invalid (ws refused it): answer on `socket`. */
  invalid(error: Error, socket: Duplex): void;
}

/** Performs WebSocket upgrades for one server. */
export class WsAcceptor {
  #servers = new Map<number, WebSocketServer>();
  #pending = new WeakMap<IncomingMessage, AcceptOptions>();

  /** Completes the handshake; `accepted` gets the open transport. */
  accept(request: IncomingMessage, socket: Duplex, head: Buffer, options: AcceptOptions, accepted: (transport: Transport) => void): void {
    this.#pending.set(request, options);
    this.#server(options.maxPayload).handleUpgrade(request, socket, head, (ws) => {
      this.#pending.delete(request);
      accepted(new WsTransport(ws, request.socket, true));
    });
  }

  #server(maxPayload: number): WebSocketServer {
    let server = this.#servers.get(maxPayload);
    if (server) return server;
    server = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      perMessageDeflate: false,
      maxPayload,
      handleProtocols: (_offered, request) => this.#pending.get(request)?.protocol ?? false,
    });
    server.on('headers', (headers, request) => {
      const extra = this.#pending.get(request)?.headers;
      if (extra) for (const name in extra) headers.push(`${name}: ${extra[name]}`);
    });
    server.on('wsClientError', (error, socket, request) => {
      const options = this.#pending.get(request);
      if (options) options.invalid(error, socket);
      else socket.destroy();
    });
    this.#servers.set(maxPayload, server);
    return server;
  }
}

const kTransport = Symbol('wsmock.transport');

/**
 * The frame `fail()` writes: FIN, opcode 0x3, no mask, no payload. 0x3 is a
 * reserved non-control opcode (RFC 6455 §5.2), so every client must fail the
 * connection on it, whatever extensions were agreed (an RSV bit would be legal
 * under permessage-deflate).
 */
const RESERVED_OPCODE_FRAME = Buffer.from([0x83, 0x00]);
type TaggedSocket = WebSocket & { [kTransport]: WsTransport };

// ws copies what it needs from a send's options: one object per frame type, not one per frame.
const TEXT = { binary: false } as const;
const BINARY = { binary: true } as const;

/**
 * The headers of the final, unmasked text and binary frames of up to 125
 * bytes (RFC 6455 §5.2), made once: frames that small are most of a test's
 * traffic, and every frame of a length shares its header.
 */
const SMALL_HEADERS = [0x81, 0x82].map((first) => Array.from({ length: 126 }, (_, length) => Buffer.from([first, length])));

/** The header of a final, unmasked data frame of `length` bytes, as a server writes it. */
function serverFrameHeader(length: number, binary: boolean): Buffer {
  if (length < 126) return SMALL_HEADERS[binary ? 1 : 0]![length]!;
  const extended = length < 0x10000 ? 2 : 8;
  const header = Buffer.allocUnsafe(2 + extended);
  header[0] = binary ? 0x82 : 0x81;
  if (extended === 2) {
    header[1] = 126;
    header.writeUInt16BE(length, 2);
  } else {
    header[1] = 127;
    header.writeUInt32BE(Math.floor(length / 0x1_0000_0000), 2);
    header.writeUInt32BE(length >>> 0, 6);
  }
  return header;
}

/**
 * The close code ws sends when a client's frame breaks the protocol, from the
 * error's documented `code`: invalid UTF-8 1007, too big 1009, too many
 * fragments 1008, anything else 1002.
 */
function faultCode(error: Error & { code?: string }): number {
  switch (error.code) {
    case 'WS_ERR_INVALID_UTF8':
      return 1007;
    case 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH':
    case 'WS_ERR_UNSUPPORTED_DATA_PAYLOAD_LENGTH':
      return 1009;
    case 'WS_ERR_TOO_MANY_BUFFERED_PARTS':
      return 1008;
    default:
      return 1002;
  }
}

/**
 * A `ws` socket behind the {@link Transport} seam: a client's, accepted here,
 * or a proxy mock's upstream (transport/wsUpstream.ts), where the "client"
 * that closes is the upstream server.
 */
export class WsTransport implements Transport {
  readonly #ws: WebSocket;
  readonly #socket: Duplex;
  /** The server's end of the socket: its frames are unmasked, and written here without ws. */
  readonly #server: boolean;
  #owner: unknown;
  #sink: TransportSink<unknown> | undefined;
  #corked = false;
  /** Set when the server started the close: what it sent. */
  #closing: { code: number; reason: string } | undefined;

  constructor(ws: WebSocket, socket: Duplex, server = false) {
    this.#ws = ws;
    this.#socket = socket;
    this.#server = server;
    (ws as TaggedSocket)[kTransport] = this;
    // Protocol errors from the client (invalid UTF-8, oversize frames) make ws
    // close the socket itself; without a listener they would crash the process.
    ws.on('error', WsTransport.#onError);
  }

  get protocol(): string {
    return this.#ws.protocol;
  }

  get remoteAddress(): string {
    return (this.#socket as Duplex & { remoteAddress?: string }).remoteAddress ?? '';
  }

  get readyState(): number {
    return this.#ws.readyState;
  }

  bind<Owner>(owner: Owner, sink: TransportSink<Owner>): void {
    this.#owner = owner;
    this.#sink = sink as TransportSink<unknown>;
    // Shared listeners that find the transport through the socket, rather
    // than closures per connection: idle connections are the bulk of what a
    // big test holds.
    this.#ws.on('message', WsTransport.#onMessage);
    this.#ws.on('close', WsTransport.#onClose);
    this.#ws.on('pong', WsTransport.#onPong);
  }

  write(bytes: Buffer, binary: boolean, callback?: (err?: Error) => void): void {
    if (this.#framesHere()) {
      this.#socket.write(serverFrameHeader(bytes.length, binary));
      this.#socket.write(bytes, callback as ((error?: Error | null) => void) | undefined);
    } else {
      this.#ws.send(bytes, binary ? BINARY : TEXT, callback);
    }
  }

  writeText(text: string, byteLength: number, callback?: (err?: Error) => void): void {
    // The socket encodes the string into the writev it makes anyway.
    if (this.#framesHere()) {
      this.#socket.write(serverFrameHeader(byteLength, false));
      this.#socket.write(text, 'utf8', callback as ((error?: Error | null) => void) | undefined);
    } else {
      this.#ws.send(text, TEXT, callback);
    }
  }

  /**
   * Whether this transport frames the write itself, corking the socket for
   * the rest of the tick. Frames written in one tick leave in one writev: the
   * replies to the frames of one TCP read cost one system call, not one each.
   * One flush per tick for every corked socket: a broadcast to 10,000
   * connections schedules one callback, not 10,000.
   *
   * A server's data frame is its header and the bytes as they are (no mask,
   * no extension: permessage-deflate is never agreed), so the server frames
   * it here: a header shared by every frame of its length, and the same bytes
   * for every recipient of a broadcast, where ws's sender would make a header
   * and an options object per frame. ws writes on the same socket without
   * queueing (nothing to deflate), so its control frames keep their place in
   * the order; it still frames the client's end of a proxy's upstream
   * (masked) and anything once the socket is no longer open.
   */
  #framesHere(): boolean {
    if (!this.#corked) {
      this.#corked = true;
      this.#socket.cork();
      if (WsTransport.#corkedSockets.push(this) === 1) realNextTick(WsTransport.#uncorkAll);
    }
    return this.#server && this.#ws.readyState === WebSocket.OPEN;
  }

  close(code: number, reason: string): void {
    if (this.#ws.readyState === WebSocket.OPEN) this.#closing ??= { code, reason };
    // 1005 is never sent: it asks for a close frame without a code.
    if (code === CloseCode.NO_STATUS) this.#ws.close();
    else this.#ws.close(code, reason);
  }

  terminate(): void {
    this.#closing ??= { code: 1006, reason: '' };
    this.#ws.terminate();
  }

  fail(): boolean {
    this.#closing ??= { code: CloseCode.PROTOCOL_ERROR, reason: '' };
    //
    // Written on the socket under ws, after any frame still corked there, then
    // the write side is shut: the client reads the bad frame before the FIN,
    // fails the connection, and its close (or its own FIN) ends the socket.
    // ws still thinks the socket open; what it writes from now on (an echoed
    // close frame) fails on the ended socket, which ws handles by destroying it.
    //
    this.#socket.write(RESERVED_OPCODE_FRAME);
    this.#socket.end();
    return true;
  }

  ping(data?: Buffer): void {
    this.#ws.ping(data);
  }

  static #corkedSockets: WsTransport[] = [];

  static #uncorkAll(): void {
    const corked = WsTransport.#corkedSockets;
    WsTransport.#corkedSockets = [];
    for (const transport of corked) {
      transport.#corked = false;
      transport.#socket.uncork();
    }
  }

  static #onError(this: WebSocket, error: Error): void {
    // ws has already sent its close frame for this error; record that the
    // server closed, with the code it sent.
    (this as TaggedSocket)[kTransport].#closing ??= { code: faultCode(error), reason: '' };
  }

  static #onMessage(this: WebSocket, data: Buffer, binary: boolean): void {
    const transport = (this as TaggedSocket)[kTransport];
    transport.#sink!.frame(transport.#owner, data, binary);
  }

  static #onClose(this: WebSocket, code: number, reason: Buffer): void {
    const transport = (this as TaggedSocket)[kTransport];
    const sink = transport.#sink!;
    const owner = transport.#owner;
    const sent = transport.#closing;
    if (sent) sink.closed(owner, sent.code, sent.reason, 'server');
    else if (code === 1006) sink.closed(owner, 1006, '', 'network');
    else sink.closed(owner, code, reason.toString('utf8'), 'client');
  }

  static #onPong(this: WebSocket, data: Buffer): void {
    const transport = (this as TaggedSocket)[kTransport];
    transport.#sink!.pong(transport.#owner, data);
  }
}

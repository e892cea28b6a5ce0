//
// One WebSocket connection speaking MQTT: its parser (one per connection,
// taking the protocol version from CONNECT), the bound on what it holds of a
// packet split across frames, its writes, its keep-alive timer, and how it
// ends: a protocol error answered as a broker does (MQTT 5: DISCONNECT with
// the reason code, then the close; 3.1.1 has no server DISCONNECT: the close).
//
import { deliver, type Connection, type OutboundFrame } from '../../kit/index.js';
import { realClearTimeout, realSetTimeout } from '../../util/clock.js';
import { MqttReasonCode, packetLib, type IConnectPacket, type Packet, type Parser } from './protocol.js';
import type { MqttSession } from './session.js';

/** WebSocket close code for an MQTT protocol error with no DISCONNECT to carry it (3.1.1, or before CONNACK). */
export const PROTOCOL_ERROR_CLOSE = 1002;

// Taken when the kit loads, so that a test's fake Date does not stop the keep-alive.
const now = Date.now.bind(Date);

/** Bytes of the variable byte integer holding `n`. */
function lengthBytes(n: number): number {
  return n < 128 ? 1 : n < 16_384 ? 2 : n < 2_097_152 ? 3 : 4;
}

/** One WebSocket connection speaking MQTT (see the top of the file). */
export class MqttLink {
  readonly connection: Connection;
  readonly parser: Parser;
  /** 3 or 4 (3.1 / 3.1.1) or 5; 4 until CONNECT says. */
  protocolVersion: 3 | 4 | 5 = 4;
  /** The accepted CONNECT, once CONNACK said yes. */
  connect: IConnectPacket | undefined;
  /** A CONNECT arrived (accepted, refused or still being decided). */
  connectSeen = false;
  /** Packets that arrived while `auth` was deciding, handled once it has. */
  held: Packet[] | undefined;
  /** The session this connection runs, once accepted. */
  session: MqttSession | undefined;
  /** The will, until a DISCONNECT discards it or the connection drops and it is published. */
  will: IConnectPacket['will'];
  /** The connection is ending: nothing more is parsed or handled. */
  ending = false;
  /** The client said DISCONNECT. */
  disconnected = false;
  readonly #maxPacket: number;
  #keepAlive: NodeJS.Timeout | undefined;
  #lastSeen = now();

  constructor(connection: Connection, maxPacket: number, onPacket: (link: MqttLink, packet: Packet) => void) {
    this.connection = connection;
    this.#maxPacket = maxPacket;
    this.parser = packetLib()!.parser({ protocolVersion: 4 });
    this.parser.on('packet', (packet: Packet) => {
      if (this.ending) return;
      this.#lastSeen = now();
      if (this.held) this.held.push(packet);
      else onPacket(this, packet);
    });
    this.parser.on('error', (err: Error) => this.fail(MqttReasonCode.malformedPacket, `malformed packet: ${err.message}`));
  }

  /** Feeds the bytes of one WebSocket frame to the parser; a packet larger than the bound ends the connection. */
  feed(bytes: Buffer): void {
    if (this.ending) return;
    this.parser.parse(bytes);
    if (this.ending) return;
    // What the parser holds of an unfinished packet: its declared size, once
    // the header says it, else the bytes held. Either beyond the bound ends it.
    const declared = (this.parser as unknown as { packet: { length: number } }).packet.length;
    const held = (this.parser as unknown as { _list: { length: number } })._list.length;
    const size = declared >= 0 ? 1 + lengthBytes(declared) + declared : held;
    if (size > this.#maxPacket || held > this.#maxPacket) this.fail(MqttReasonCode.packetTooLarge, `packet of ${size} bytes over maximumPacketSize (${this.#maxPacket})`);
  }

  /** Whether this connection speaks MQTT 5. */
  get v5(): boolean {
    return this.protocolVersion === 5;
  }

  /** Sends a packet, encoded for this connection's protocol version. */
  write(packet: Packet, done?: (err?: Error) => void): void {
    deliver(this.connection, { payload: packetLib()!.generate(packet, { protocolVersion: this.protocolVersion }), binary: true }, done);
  }

  /** Sends a frame already encoded: a fan-out's, the same object for every recipient. */
  writeFrame(frame: OutboundFrame): void {
    deliver(this.connection, frame);
  }

  /** Starts the keep-alive: the connection is dropped after 1.5 × `seconds` without a packet. */
  startKeepAlive(seconds: number, expire: () => void): void {
    if (seconds <= 0) return;
    const limit = seconds * 1500;
    const check = () => {
      const silent = now() - this.#lastSeen;
      if (silent >= limit) {
        this.#keepAlive = undefined;
        expire();
      } else this.#keepAlive = realSetTimeout(check, limit - silent);
    };
    this.#keepAlive = realSetTimeout(check, limit);
  }

  /**
   * Ends the connection as a broker does on an error: MQTT 5 after CONNACK, a
   * DISCONNECT with `reasonCode` (and the reason as its reason string) then
   * the close; else the close (1002, the reason) alone.
   */
  fail(reasonCode: number, reason: string): void {
    if (this.ending) return;
    this.end(reasonCode, reason);
  }

  /**
   * Ends the connection from the server's side: DISCONNECT `reasonCode` on
   * MQTT 5 once accepted, then the close (1000 after a DISCONNECT or for a
   * success code, else 1002).
   */
  end(reasonCode: number, reason?: string): Promise<unknown> {
    this.ending = true;
    this.stop();
    if (!this.connection.isOpen) return Promise.resolve();
    const text = (reason ?? '').slice(0, 120);
    if (this.v5 && this.connect) {
      this.write({ cmd: 'disconnect', reasonCode, ...(reason ? { properties: { reasonString: reason } } : {}) } as Packet);
      return this.connection.close({ code: 1000, reason: text }).catch(() => {});
    }
    return this.connection.close({ code: reasonCode < 0x80 ? 1000 : PROTOCOL_ERROR_CLOSE, reason: text }).catch(() => {});
  }

  /** Stops the keep-alive timer (the connection ends). */
  stop(): void {
    if (this.#keepAlive) realClearTimeout(this.#keepAlive);
    this.#keepAlive = undefined;
  }
}

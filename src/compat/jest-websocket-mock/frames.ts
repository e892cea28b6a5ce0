//
// Just enough of RFC 6455 framing for the relay (relay.ts): where each frame
// starts and ends, its opcode, and the unmasked payload of small control frames.
// The WebSocket protocol itself is spoken by wsmock's server and the client;
// the relay only reads frame headers to know where it may insert a frame.
//

/** One complete frame as it appeared on the wire. */
export interface Frame {
  /** Bits 0-3 of the first byte. */
  opcode: number;
  /** The whole frame, header included, exactly as received. */
  raw: Buffer;
  /** The payload, unmasked. */
  payload(): Buffer;
}

/** Opcodes the relay looks at. */
export const Opcode = { binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

/**
 * Splits a byte stream into frames. Bytes of an incomplete frame stay buffered
 * until the rest arrives.
 */
export class FrameReader {
  #pending: Buffer = Buffer.alloc(0);

  /** Adds bytes and returns every frame they complete. */
  push(chunk: Buffer): Frame[] {
    this.#pending = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    const frames: Frame[] = [];
    for (;;) {
      const frame = readFrame(this.#pending);
      if (!frame) break;
      frames.push(frame);
      this.#pending = this.#pending.subarray(frame.raw.length);
    }
    return frames;
  }
}

function readFrame(buf: Buffer): Frame | undefined {
  if (buf.length < 2) return undefined;
  const masked = (buf[1]! & 0x80) !== 0;
  let length = buf[1]! & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (buf.length < 4) return undefined;
    length = buf.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (buf.length < 10) return undefined;
    length = Number(buf.readBigUInt64BE(2));
    offset = 10;
  }
  const maskAt = offset;
  if (masked) offset += 4;
  if (buf.length < offset + length) return undefined;
  const raw = buf.subarray(0, offset + length);
  const payloadAt = offset;
  return {
    opcode: buf[0]! & 0x0f,
    raw,
    payload() {
      const payload = Buffer.from(raw.subarray(payloadAt));
      if (masked) for (let i = 0; i < payload.length; i++) payload[i]! ^= raw[maskAt + (i % 4)]!;
      return payload;
    },
  };
}

/** An unmasked (server-to-client) frame with a payload of at most 125 bytes. */
export function serverFrame(opcode: number, payload: Buffer): Buffer {
  return Buffer.concat([Buffer.from([0x80 | opcode, payload.length]), payload]);
}

/**
 * A frame every client must refuse: opcode 0x3 is reserved (RFC 6455 §5.2), so
 * the client fails the connection, which fires `error` and then `close` (1006).
 */
export const INVALID_FRAME = Buffer.from([0x83, 0x00]);

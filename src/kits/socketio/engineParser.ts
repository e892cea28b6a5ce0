//
// Engine.IO v4 packets (protocol revision 4). A packet is a type digit and
// its data; over WebSocket one packet is one frame (a binary frame is a
// `message` packet with bytes), over HTTP long-polling packets are joined by
// the record separator and bytes travel as `b` + base64.
//

/** Engine.IO packet types, by their digit on the wire. */
export const EngineType = {
  open: '0',
  close: '1',
  ping: '2',
  pong: '3',
  message: '4',
  upgrade: '5',
  noop: '6',
} as const;

export type EnginePacketType = keyof typeof EngineType;

/** One Engine.IO packet: text data for every type, bytes for a binary `message`. */
export interface EnginePacket {
  readonly type: EnginePacketType;
  readonly data?: string | Buffer;
}

/** What separates packets in a long-polling payload. */
export const RECORD_SEPARATOR = '\x1e';

const TYPE_OF_DIGIT = new Map<string, EnginePacketType>(
  Object.entries(EngineType).map(([type, digit]) => [digit, type as EnginePacketType]),
);

/** Decodes one packet: a WebSocket frame, or one record of a polling payload. Undefined when it is not a packet. */
export function decodePacket(data: string | Buffer, binary: boolean): EnginePacket | undefined {
  if (binary) return { type: 'message', data: data as Buffer };
  const text = typeof data === 'string' ? data : data.toString('utf8');
  if (text.startsWith('b')) return { type: 'message', data: Buffer.from(text.slice(1), 'base64') };
  const type = TYPE_OF_DIGIT.get(text.charAt(0));
  if (type === undefined) return undefined;
  return text.length > 1 ? { type, data: text.slice(1) } : { type };
}

/** Decodes a long-polling request body; undefined when any record is not a packet. */
export function decodePayload(body: string): EnginePacket[] | undefined {
  const packets: EnginePacket[] = [];
  for (const record of body.split(RECORD_SEPARATOR)) {
    const packet = decodePacket(record, false);
    if (packet === undefined) return undefined;
    packets.push(packet);
  }
  return packets;
}

/** One packet as a polling record: bytes become `b` + base64. */
export function encodeForPolling(packet: EnginePacket): string {
  if (Buffer.isBuffer(packet.data)) return `b${packet.data.toString('base64')}`;
  return EngineType[packet.type] + (packet.data ?? '');
}

/** A polling response body: the records joined by the separator. */
export function encodePayload(packets: readonly EnginePacket[]): string {
  return packets.map(encodeForPolling).join(RECORD_SEPARATOR);
}

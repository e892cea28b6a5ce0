//
// Realtime's binary user broadcast (serializer vsn 2.0.0, kind 4): how the
// server forwards a client's broadcast to the channel's other vsn 2
// subscribers. A header of sizes, the topic, the user's event, metadata
// (none here: Realtime does not forward it), then the user's payload: JSON
// text (encoding 1) or the bytes the client sent (encoding 0).
//
const USER_BROADCAST = 4;

/** A broadcast's user payload as it travels: JSON text, or bytes. */
export type UserPayload = { readonly json: string } | { readonly binary: Uint8Array };

/** The kind-4 frame of a broadcast of `event` on `topic`. Topic and event are at most 255 bytes (the client checked them when it sent). */
export function encodeUserBroadcast(topic: string, event: string, payload: UserPayload): Buffer {
  const topicBytes = Buffer.from(topic, 'utf8');
  const eventBytes = Buffer.from(event, 'utf8');
  const body = 'json' in payload ? Buffer.from(payload.json, 'utf8') : payload.binary;
  const header = Buffer.from([USER_BROADCAST, topicBytes.length, eventBytes.length, 0, 'json' in payload ? 1 : 0]);
  return Buffer.concat([header, topicBytes, eventBytes, body]);
}

//
// Request and reply tied by a correlation id: the value the request carries
// at its message's `correlationId.location` (`$message.payload#/reqid`) goes
// into the reply at the reply message's location, so a client that matches
// answers to questions by id (Kraken's `reqid`) finds its answer.
//
import type { ContractMessage } from './model.js';
import { pointerSegments } from './paths.js';
import { isMap } from './values.js';

/** A message of the contract and one payload of it. */
export interface Exchanged {
  readonly message: ContractMessage;
  readonly payload: unknown;
}


function valueAt(payload: unknown, segments: readonly string[]): unknown {
  let node = payload;
  for (const segment of segments) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, segment)) return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}

/** `payload` with `value` at `segments`, copied along the way (the payload is not changed); maps made where missing. */
function withValueAt(payload: unknown, segments: readonly string[], value: unknown): unknown {
  if (segments.length === 0) return value;
  const [head, ...rest] = segments as [string, ...string[]];
  if (Array.isArray(payload)) {
    const index = Number(head);
    if (!Number.isInteger(index) || index < 0) return payload;
    const copy = [...payload];
    copy[index] = withValueAt(payload[index], rest, value);
    return copy;
  }
  const base = isMap(payload) ? payload : {};
  return { ...base, [head]: withValueAt(base[head], rest, value) };
}

/**
 * The reply's payload with the request's correlation id copied in: read at the
 * request message's `correlationPointer`, written at the reply message's (the
 * request's when the reply declares none). Unchanged when the request carries
 * no id there or the reply payload is not an object; never mutated.
 */
export function correlate(request: Exchanged, reply: Exchanged): unknown {
  const from = request.message.correlationPointer;
  if (from === undefined || typeof reply.payload !== 'object' || reply.payload === null) return reply.payload;
  const value = valueAt(request.payload, pointerSegments(from));
  if (value === undefined) return reply.payload;
  return withValueAt(reply.payload, pointerSegments(reply.message.correlationPointer ?? from), value);
}

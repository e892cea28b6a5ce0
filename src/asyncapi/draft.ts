//
// What each version's reader (normalize2.ts, normalize3.ts) makes of a
// document, before the messages are compiled and the servers chosen
// (normalize.ts): channels, operations and messages as the document's own
// objects, with the version's differences already settled.
//
import type { ContractServer, ContractWarning, ContractWsBinding, JsonSchema } from './model.js';
import { isMap } from './values.js';

/** A message as the document wrote it, with its payload schema found. */
export interface DraftMessage {
  /** The message object (traits applied), `$ref`s resolved: its identity is the message's. */
  readonly node: Record<string, unknown>;
  /** The message object as written (its place in the document, for warnings). */
  readonly origin: object;
  /** The key it should have: its name under `components.messages`, else its `messageId`, else one made from where it is (made unique later). */
  readonly preferredKey: string;
  /** The payload schema as written (undefined: none). */
  readonly payload: unknown;
  /** The payload's schema format, when the document names one. */
  readonly schemaFormat: string | undefined;
}

/** A channel as the document wrote it. */
export interface DraftChannel {
  readonly id: string;
  /** Null: the address is unknown until run time (3.x `address: null`). */
  readonly address: string | null;
  readonly node: object;
  readonly parameters: Record<string, JsonSchema>;
  readonly binding: ContractWsBinding | undefined;
  /** The names of its servers; empty: all. */
  readonly servers: readonly string[];
  readonly messages: readonly DraftMessage[];
}

/** An operation as the document wrote it, seen from the server's side. */
export interface DraftOperation {
  readonly id: string;
  readonly action: 'send' | 'receive';
  readonly channel: DraftChannel;
  readonly messages: readonly DraftMessage[];
  readonly reply: { readonly channel: DraftChannel; readonly messages: readonly DraftMessage[] } | undefined;
}

/** A document read by its version's reader. */
export interface Draft {
  readonly title: string;
  readonly servers: readonly ContractServer[];
  readonly channels: readonly DraftChannel[];
  readonly operations: readonly DraftOperation[];
  readonly warnings: ContractWarning[];
}


/** The entries of a map (none for anything else). */
export function entriesOf(value: unknown): [string, unknown][] {
  return isMap(value) ? Object.entries(value) : [];
}

/** A string field, or undefined. */
export function stringField(node: unknown, key: string): string | undefined {
  const value = isMap(node) ? node[key] : undefined;
  return typeof value === 'string' ? value : undefined;
}

/**
 * A message with its traits applied: each trait's fields in order, the
 * message's own fields last (they win, as AsyncAPI 3 says; 2.x's merge-patch
 * reads the same for the fields wsmock uses). The object is the message's own
 * when it has no traits, so its identity still names it.
 */
export function withTraits(message: Record<string, unknown>): Record<string, unknown> {
  const traits = message.traits;
  if (!Array.isArray(traits) || traits.length === 0) return message;
  const merged: Record<string, unknown> = {};
  for (const trait of traits) {
    // 2.x allows [trait, parameters] pairs; the trait is the first item.
    const fields = Array.isArray(trait) ? trait[0] : trait;
    if (isMap(fields)) Object.assign(merged, fields);
  }
  return Object.assign(merged, message);
}

/** The key of each message under `components.messages`, by object. */
export function componentMessageKeys(doc: Record<string, unknown>): Map<object, string> {
  const keys = new Map<object, string>();
  const components = doc.components;
  for (const [key, message] of entriesOf(isMap(components) ? components.messages : undefined)) {
    if (isMap(message) && !keys.has(message)) keys.set(message, key);
  }
  return keys;
}

/** A channel's parameters' names in its address (`/v1/{symbol}` → `['symbol']`). */
export function addressParameters(address: string): string[] {
  return [...address.matchAll(/\{([^{}]+)\}/g)].map((m) => m[1]!);
}

/** The `bindings.ws` of a channel, as the model has it. */
export function wsBinding(channel: Record<string, unknown>): ContractWsBinding | undefined {
  const bindings = channel.bindings;
  const ws = isMap(bindings) ? bindings.ws : undefined;
  if (!isMap(ws)) return undefined;
  const schema = (value: unknown): JsonSchema | undefined => (isMap(value) || typeof value === 'boolean' ? (value as JsonSchema) : undefined);
  return { query: schema(ws.query), headers: schema(ws.headers) };
}

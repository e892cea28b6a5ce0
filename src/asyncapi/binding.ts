//
// A contract bound to one version of a mock: which contract (loaded once per
// file and shared by the mocks that name it), which channels, and, per
// direction, the messages a frame may be and what each one counts for. Built
// asynchronously (the contract may have to be read, the runtime loaded);
// handshakes wait for it (layer.ts), so no frame is checked before it is ready.
//
import { invalidConfig } from '../errors.js';
import type { ContractConfig, ContractReplyOverride } from './config.js';
import type { AsyncApiContract, ContractChannel, ContractError, ContractMessage, ContractOperation, JsonSchema } from './model.js';
import type { Coverage, CoverageCounter } from './report.js';
import type { ContractMode } from './types.js';

/** What contract checking runs on (runtime.ts, loaded on first use). */
export type Runtime = typeof import('./runtime.js');

/** A compiled schema of the handshake: the value's errors, empty when it fits. */
export type SchemaCheck = (value: unknown) => readonly ContractError[];

/** What a message is for, in one direction of a mock. */
export interface MessageUse {
  readonly channel: ContractChannel;
  /** The coverage counters a frame of it adds to. */
  readonly targets: readonly CoverageCounter[];
  /** Inbound: the first operation receiving it that declares a reply. */
  readonly reply: ContractOperation | undefined;
}

/** One direction of a mock's channels: the messages allowed, and their uses. */
export interface Direction {
  readonly messages: readonly ContractMessage[];
  readonly uses: ReadonlyMap<ContractMessage, MessageUse>;
  /** The channel a frame no message is close to is counted on. */
  readonly channel: ContractChannel;
}

/** What the handshake of a channel must fit. */
export interface HandshakeChecks {
  readonly query: SchemaCheck | undefined;
  readonly headers: SchemaCheck | undefined;
  /** Per path parameter. */
  readonly parameters: ReadonlyMap<string, SchemaCheck>;
}

/** A mock version's contract, once ready. */
export interface BoundContract {
  readonly runtime: Runtime;
  readonly contract: AsyncApiContract;
  readonly coverage: Coverage;
  readonly channels: readonly ContractChannel[];
  readonly in: Direction;
  readonly out: Direction;
  /** Per channel. */
  readonly handshake: readonly (HandshakeChecks & { readonly channel: ContractChannel })[];
  readonly mode: ContractMode;
  /** Whether the mock answers from the contract. */
  readonly replies: boolean;
  /** Per operation id: what replaces the contract's reply. */
  readonly overrides: Readonly<Record<string, ContractReplyOverride>>;
}

/** Whether `channel` is the one `name` names: by id, address or wsmock path. */
function names(channel: ContractChannel, name: string): boolean {
  return channel.id === name || channel.address === name || channel.path === name;
}

/** The channels a `contract` field names (or, without `channel`, those at the mock's path); throws naming the field. */
export function pickChannels(contract: AsyncApiContract, config: ContractConfig, mockPath: string): ContractChannel[] {
  const known = () => contract.channels.map((c) => `"${c.id}" (${c.address})`).join(', ') || '(none)';
  if (config.channel === undefined) {
    const found = contract.channels.filter((c) => c.path === mockPath);
    if (found.length === 0) {
      throw invalidConfig('mock config', [{ path: 'contract.channel', message: `is needed: no channel of "${contract.title}" has the mock's path ${mockPath} (channels: ${known()})` }]);
    }
    return found;
  }
  const list = typeof config.channel === 'string' ? [config.channel] : config.channel;
  return list.map((name, i) => {
    const channel = contract.channels.find((c) => names(c, name));
    if (!channel) {
      const skipped = contract.skipped.find((s) => s.channel === name);
      const why = skipped ? `is skipped by the contract: ${skipped.reason}` : `is not a channel of "${contract.title}" (channels: ${known()})`;
      throw invalidConfig('mock config', [{ path: `contract.channel${typeof config.channel === 'string' ? '' : `[${i}]`}`, message: `"${name}" ${why}` }]);
    }
    return channel;
  });
}

/** The operations of `contract` on `channels`. */
function operationsOn(contract: AsyncApiContract, channels: readonly ContractChannel[]): ContractOperation[] {
  return contract.operations.filter((op) => channels.includes(op.channel));
}

/** Both directions of `channels`: inbound, what the server receives; outbound, what it sends and replies. */
export function directions(contract: AsyncApiContract, channels: readonly ContractChannel[], coverage: Coverage): { in: Direction; out: Direction } {
  const operations = operationsOn(contract, channels);
  const inUses = new Map<ContractMessage, MessageUse>();
  const outUses = new Map<ContractMessage, MessageUse>();
  const add = (uses: Map<ContractMessage, MessageUse>, channel: ContractChannel, message: ContractMessage, direction: 'in' | 'out', reply?: ContractOperation) => {
    const use = uses.get(message);
    if (use) {
      if (reply && !use.reply) uses.set(message, { ...use, reply });
      return;
    }
    uses.set(message, { channel, targets: coverage.targets(channel, message, direction), reply });
  };
  for (const op of operations) {
    for (const message of op.messages) {
      if (op.action === 'receive') add(inUses, op.channel, message, 'in', op.reply ? op : undefined);
      else add(outUses, op.channel, message, 'out');
    }
    for (const message of op.reply?.messages ?? []) add(outUses, op.reply!.channel, message, 'out');
  }
  const first = channels[0]!;
  return {
    in: { messages: [...inUses.keys()], uses: inUses, channel: first },
    out: { messages: [...outUses.keys()], uses: outUses, channel: first },
  };
}

/**
 * A handshake value as its schema expects it: query values and path
 * parameters arrive as strings, so a property typed `boolean`, `number` or
 * `integer` is read as one when the string says so.
 */
export function coerce(schema: JsonSchema | undefined, value: string): unknown {
  if (typeof schema !== 'object' || schema === null) return value;
  const types = ([] as unknown[]).concat(schema.type ?? []);
  if (types.includes('string')) return value;
  if (types.includes('boolean') && (value === 'true' || value === 'false')) return value === 'true';
  if ((types.includes('number') || types.includes('integer')) && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return value;
}

/** A query (or headers) object with each property read as its schema's type. */
export function coerceObject(schema: JsonSchema | undefined, values: Record<string, unknown>): Record<string, unknown> {
  const properties = typeof schema === 'object' && schema !== null ? (schema.properties as Record<string, JsonSchema> | undefined) : undefined;
  if (!properties) return values;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) out[key] = typeof value === 'string' ? coerce(properties[key], value) : value;
  return out;
}

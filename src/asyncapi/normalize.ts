//
// A version's draft made into the contract: each message's payload validator
// compiled (once, whatever number of channels and operations use it), its
// examples checked against it (one that fails is kept as written, with a
// warning), and the channels to serve chosen by server:
//   - `options.server`: that server's channels (and those on every server);
//   - else, with `servers`, the channels of the `ws`/`wss` ones;
//   - a document without `servers` serves every channel.
// A channel left out is in `skipped` with why, and so is one whose address is
// unknown until run time. Operations on left-out channels are left out too;
// `messages` holds the messages of the served channels and of their replies.
//
import type { ConfigIssue } from '../errors/WsMockError.js';
import { asyncApiServerNotFound, invalidConfig } from '../errors/catalogue.js';
import type { Draft, DraftChannel, DraftMessage } from './draft.js';
import type { AsyncApiContract, ContractChannel, ContractMessage, ContractOperation, ContractWarning, JsonSchema } from './model.js';
import { jsonPath, pointerSegments } from './paths.js';
import type { RefResolver } from './refs.js';
import { InvalidSchema, type ContractValidators } from './validators.js';
import { isMap } from './values.js';
import { findContractMessage } from '../util/contractMessages.js';

/** What the assembly needs beside the draft. */
export interface AssembleContext {
  readonly version: string;
  readonly file: string | undefined;
  readonly what: string;
  readonly resolver: RefResolver;
  readonly validators: ContractValidators;
  /** `options.server`: serve this server's channels only. */
  readonly server: string | undefined;
}

// Payload formats that are JSON Schema (AsyncAPI's schema is its superset).
const JSON_SCHEMA_FORMAT = /^application\/(vnd\.aai\.asyncapi|schema)(\+json|\+yaml)?(;|$)/i;

const WEBSOCKET = /^wss?$/i;

/** A channel's address as a wsmock path: `{symbol}` → `:symbol`, and a leading `/`. */
export function addressToPath(address: string): string {
  const path = address.replace(/\{([^{}]+)\}/g, ':$1');
  return path.startsWith('/') ? path : `/${path}`;
}

/** The JSON pointer of a message's correlation id in its payload (`$message.payload#/reqid` → `/reqid`); undefined when it is elsewhere. */
export function correlationPointerOf(message: Record<string, unknown>): string | undefined {
  const correlation = message.correlationId;
  const location = isMap(correlation) && typeof correlation.location === 'string' ? correlation.location : undefined;
  const match = location === undefined ? null : /^\$message\.payload#(.*)$/.exec(location.trim());
  if (match === null) return undefined;
  try {
    return decodeURIComponent(match[1]!);
  } catch {
    return match[1]!;
  }
}

/** A message's example payloads in document order: `examples[].payload` (an example of headers only has none). */
function examplesOf(message: Record<string, unknown>): { payload: unknown; suffix: (string | number)[] }[] {
  const examples = message.examples;
  if (!Array.isArray(examples)) return [];
  return examples.flatMap((example, i) => (isMap(example) && 'payload' in example ? [{ payload: example.payload, suffix: ['examples', i, 'payload'] }] : []));
}

/**
 * An issue at `segments` below `node` in the materialised graph, placed in the
 * file where that part was written: the deepest node on the way whose place is
 * known, and the rest of the path from there.
 */
function issueInGraph(resolver: RefResolver, node: unknown, segments: readonly string[], message: string): ConfigIssue {
  let anchor = node;
  let rest: readonly string[] = segments;
  let current = node;
  for (const [i, segment] of segments.entries()) {
    current = isMap(current) || Array.isArray(current) ? (current as Record<string, unknown>)[segment] : undefined;
    if (current === undefined) break;
    if (resolver.locationOf(current) !== undefined) {
      anchor = current;
      rest = segments.slice(i + 1);
    }
  }
  return resolver.issue(anchor, message, rest);
}

/** The contract a draft describes. */
export function assemble(draft: Draft, context: AssembleContext): AsyncApiContract {
  const { resolver, validators, what } = context;
  const warnings: ContractWarning[] = [...draft.warnings];
  const warn = (node: unknown, suffix: (string | number)[], message: string) => {
    const issue = resolver.issue(node, message, suffix);
    warnings.push({ path: issue.path, message: issue.file !== undefined && issue.file !== resolver.root.shown ? `${issue.file}: ${message}` : message });
  };

  const byDraft = new Map<DraftMessage, ContractMessage>();
  const byKey = new Map<string, ContractMessage>();
  const messageOf = (d: DraftMessage): ContractMessage => {
    const known = byDraft.get(d);
    if (known !== undefined) return known;
    let key = d.preferredKey;
    for (let n = 2; byKey.has(key); n++) key = `${d.preferredKey}#${n}`;
    let payload = d.payload as JsonSchema | undefined;
    if (payload !== undefined && !isMap(payload) && typeof payload !== 'boolean') {
      throw invalidConfig(what, [resolver.issue(d.origin, 'must be a schema (a map or a boolean)', ['payload'])]);
    }
    if (d.schemaFormat !== undefined && !JSON_SCHEMA_FORMAT.test(d.schemaFormat)) {
      warn(d.origin, ['payload'], `message "${key}": payload schema format "${d.schemaFormat}" is not JSON Schema nor AsyncAPI's, which wsmock reads: any payload is accepted, and one is built only from an example`);
      payload = undefined;
    }
    let validate: ContractMessage['validate'];
    try {
      validate = validators.compile(payload);
    } catch (err) {
      // Ajv names the first bad keyword by its place in the schema (`/properties/x/type`): name it in the document.
      const first = err instanceof InvalidSchema ? err.errors[0] : undefined;
      const segments = first === undefined ? [] : pointerSegments(first.instancePath);
      const why = first === undefined ? (err as Error).message : (first.message ?? 'is invalid');
      throw invalidConfig(what, [issueInGraph(resolver, isMap(payload) ? payload : d.origin, segments, `payload schema of message "${key}" is not a valid JSON Schema: ${why}`)]);
    }
    const examples = examplesOf(d.node);
    for (const [i, example] of examples.entries()) {
      const errors = validate(example.payload);
      if (errors.length > 0) {
        const listed = errors.map((e) => `${e.path} ${e.message}`).join('; ');
        warn(d.origin, example.suffix, `example ${i + 1} of message "${key}" does not fit its payload schema (${listed}): it is kept as written`);
      }
    }
    const node = d.node;
    const text = (field: string) => (typeof node[field] === 'string' ? (node[field] as string) : undefined);
    const message: ContractMessage = {
      key,
      messageId: text('messageId'),
      name: text('name'),
      title: text('title'),
      summary: text('summary'),
      payload,
      examples: examples.map((e) => e.payload),
      correlationPointer: correlationPointerOf(node),
      validate,
    };
    byDraft.set(d, message);
    byKey.set(key, message);
    return message;
  };

  // Which channels are served.
  const servers = draft.servers;
  const websocket = servers.filter((s) => WEBSOCKET.test(s.protocol)).map((s) => s.name);
  const protocolOf = (name: string) => servers.find((s) => s.name === name)?.protocol ?? 'unknown';
  let why: (channel: DraftChannel) => string | undefined;
  if (context.server !== undefined) {
    const name = context.server;
    const chosen = servers.find((s) => s.name === name);
    if (chosen === undefined) {
      throw asyncApiServerNotFound(what, name, servers.length > 0 ? `is not in the document: its servers are ${servers.map((s) => s.name).join(', ')}` : 'is not in the document: it has no servers');
    }
    if (!WEBSOCKET.test(chosen.protocol)) throw asyncApiServerNotFound(what, name, `speaks "${chosen.protocol}", not WebSocket (ws or wss)`);
    why = (c) => (c.servers.length === 0 || c.servers.includes(name) ? undefined : `not on server "${name}" (only on ${c.servers.join(', ')})`);
  } else if (servers.length === 0) {
    why = () => undefined;
  } else {
    const onNone = `on no WebSocket server (ws, wss): the document's servers are ${servers.map((s) => `${s.name} (${s.protocol})`).join(', ')}`;
    why = (c) => {
      if (c.servers.length === 0) return websocket.length > 0 ? undefined : onNone;
      return c.servers.some((n) => websocket.includes(n)) ? undefined : `on no WebSocket server (ws, wss): only on ${c.servers.map((n) => `${n} (${protocolOf(n)})`).join(', ')}`;
    };
  }

  const contractChannels = new Map<DraftChannel, ContractChannel>();
  const channelOf = (c: DraftChannel): ContractChannel => {
    let channel = contractChannels.get(c);
    if (channel === undefined) {
      channel = {
        id: c.id,
        address: c.address ?? '',
        path: c.address === null ? '' : addressToPath(c.address),
        parameters: c.parameters,
        binding: c.binding,
        servers: c.servers,
        messages: c.messages.map(messageOf),
      };
      contractChannels.set(c, channel);
    }
    return channel;
  };

  const channels: ContractChannel[] = [];
  const skipped: { channel: string; reason: string }[] = [];
  const served = new Set<DraftChannel>();
  for (const c of draft.channels) {
    const reason = c.address === null ? 'its address is null (unknown until run time): there is no path to serve' : why(c);
    if (reason !== undefined) {
      skipped.push({ channel: c.id, reason });
      warnings.push({ path: jsonPath(['channels', c.id]), message: `channel "${c.id}" is skipped: ${reason}` });
      continue;
    }
    served.add(c);
    channels.push(channelOf(c));
  }

  const operations: ContractOperation[] = draft.operations
    .filter((o) => served.has(o.channel))
    .map((o) => ({
      id: o.id,
      action: o.action,
      channel: channelOf(o.channel),
      messages: o.messages.map(messageOf),
      reply: o.reply === undefined ? undefined : { channel: channelOf(o.reply.channel), messages: o.reply.messages.map(messageOf) },
    }));

  const messages = new Map<string, ContractMessage>();
  const keep = (m: ContractMessage) => messages.set(m.key, m);
  for (const channel of channels) channel.messages.forEach(keep);
  for (const operation of operations) {
    operation.messages.forEach(keep);
    operation.reply?.messages.forEach(keep);
  }

  return {
    version: context.version,
    title: draft.title,
    file: context.file,
    servers,
    channels,
    skipped,
    operations,
    messages,
    warnings,
    message(keyOrId: string) {
      return messages.get(keyOrId) ?? findContractMessage([...messages.values()], keyOrId);
    },
  };
}

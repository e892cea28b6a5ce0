//
// AsyncAPI 3.x (3.0 and 3.1 share a shape) read into the draft. Channels have
// an `address` (null: unknown until run time) and their own `messages`;
// operations point at a channel, act on some of its messages (all when they
// list none) and may declare a `reply`: on its own channel (the operation's
// when it names none, or only a run-time `address`) with its own messages
// (the reply channel's when it lists none). A payload may be a multi-format
// schema (`{ schemaFormat, schema }`).
//
import type { ContractServer, JsonSchema } from './model.js';
import {
  addressParameters,
  componentMessageKeys,
  entriesOf,
  stringField,
  withTraits,
  wsBinding,
  type Draft,
  type DraftChannel,
  type DraftMessage,
  type DraftOperation,
} from './draft.js';
import type { ContractWarning } from './model.js';
import { jsonPath } from './paths.js';
import { isMap } from './values.js';

function parameters(address: string | null, node: unknown): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = {};
  for (const [name, parameter] of entriesOf(node)) {
    const schema: Record<string, unknown> = { type: 'string' };
    if (isMap(parameter)) {
      if (Array.isArray(parameter.enum)) schema.enum = parameter.enum;
      if (parameter.default !== undefined) schema.default = parameter.default;
      if (Array.isArray(parameter.examples)) schema.examples = parameter.examples;
    }
    out[name] = schema;
  }
  for (const name of address === null ? [] : addressParameters(address)) out[name] ??= { type: 'string' };
  return out;
}

/** Reads an AsyncAPI 3.x document (`$ref`s resolved). */
export function read3(doc: Record<string, unknown>): Draft {
  const componentKeys = componentMessageKeys(doc);
  const warnings: ContractWarning[] = [];
  const drafts = new Map<object, DraftMessage>();
  const message = (node: Record<string, unknown>, fallback: string): DraftMessage => {
    let draft = drafts.get(node);
    if (draft === undefined) {
      const effective = withTraits(node);
      const payload = effective.payload;
      const multiFormat = isMap(payload) && typeof payload.schemaFormat === 'string' && 'schema' in payload;
      draft = {
        node: effective,
        origin: node,
        preferredKey: componentKeys.get(node) ?? fallback,
        payload: multiFormat ? payload.schema : payload,
        schemaFormat: multiFormat ? (payload.schemaFormat as string) : undefined,
      };
      drafts.set(node, draft);
    }
    return draft;
  };

  const servers: ContractServer[] = [];
  const serverNames = new Map<object, string>();
  for (const [name, node] of entriesOf(doc.servers)) {
    if (isMap(node)) serverNames.set(node, name);
    servers.push({ name, protocol: stringField(node, 'protocol') ?? '', host: stringField(node, 'host') ?? '', pathname: stringField(node, 'pathname') });
  }

  const channels: DraftChannel[] = [];
  const byNode = new Map<object, DraftChannel>();
  for (const [id, node] of entriesOf(doc.channels)) {
    if (!isMap(node)) continue;
    const address = typeof node.address === 'string' ? node.address : null;
    const channel: DraftChannel = {
      id,
      address,
      node,
      parameters: parameters(address, node.parameters),
      binding: wsBinding(node),
      servers: Array.isArray(node.servers) ? node.servers.flatMap((s) => (isMap(s) && serverNames.has(s) ? [serverNames.get(s)!] : [])) : [],
      messages: entriesOf(node.messages).flatMap(([name, m]) => (isMap(m) ? [message(m, `${id}.${name}`)] : [])),
    };
    channels.push(channel);
    byNode.set(node, channel);
  }

  const listedOr = (list: unknown, fallback: readonly DraftMessage[], where: string): readonly DraftMessage[] =>
    Array.isArray(list) && list.length > 0 ? list.filter(isMap).map((m, i) => message(m, `${where}[${i}]`)) : fallback;

  const operations: DraftOperation[] = [];
  for (const [id, node] of entriesOf(doc.operations)) {
    if (!isMap(node)) continue;
    const channel = isMap(node.channel) ? byNode.get(node.channel) : undefined;
    if (channel === undefined) {
      warnings.push({ path: jsonPath(['operations', id, 'channel']), message: `operation "${id}" is on a channel that is not under "channels": left out` });
      continue;
    }
    const action = node.action === 'send' ? 'send' : 'receive';
    const reply = node.reply;
    let replyOf: DraftOperation['reply'];
    if (isMap(reply)) {
      const replyChannel = (isMap(reply.channel) ? byNode.get(reply.channel) : undefined) ?? channel;
      replyOf = { channel: replyChannel, messages: listedOr(reply.messages, replyChannel.messages, `${id}.reply`) };
    }
    operations.push({ id, action, channel, messages: listedOr(node.messages, channel.messages, id), reply: replyOf });
  }

  return { title: stringField(doc.info, 'title') ?? '', servers, channels, operations, warnings };
}

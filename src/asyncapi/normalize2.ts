//
// AsyncAPI 2.x read into the draft: a channel's key is its address; its
// `publish` operation is what the server receives (clients publish to it),
// its `subscribe` operation what the server sends. A message may name its
// answer with `x-reply` (a message, or a list of them): the operation that
// receives it gets that reply, on the same channel. When an operation's
// messages (`oneOf`) have replies of their own, it is read as one operation
// per message (`<operationId>.<message key>`), so each request keeps its answer.
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
import { isMap } from './values.js';

/** A 2.x server: the host and path come from its `url` (`ws://host:port/path`, or `host/path` beside `protocol`). */
function server(name: string, node: unknown): ContractServer {
  const url = stringField(node, 'url') ?? '';
  const rest = url.replace(/^[A-Za-z][A-Za-z0-9+.-]*:\/\//, '');
  const slash = rest.indexOf('/');
  return {
    name,
    protocol: stringField(node, 'protocol') ?? '',
    host: slash === -1 ? rest : rest.slice(0, slash),
    pathname: slash === -1 ? undefined : rest.slice(slash),
  };
}

function parameters(address: string, node: unknown): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = {};
  for (const [name, parameter] of entriesOf(node)) {
    const schema = isMap(parameter) ? parameter.schema : undefined;
    out[name] = isMap(schema) || typeof schema === 'boolean' ? (schema as JsonSchema) : { type: 'string' };
  }
  for (const name of addressParameters(address)) out[name] ??= { type: 'string' };
  return out;
}

/** The messages of an operation: one, or its `oneOf`. */
function listed(message: unknown): Record<string, unknown>[] {
  if (!isMap(message)) return [];
  const list = Array.isArray(message.oneOf) && message.payload === undefined ? message.oneOf : [message];
  return list.filter(isMap);
}

/** Reads an AsyncAPI 2.x document (`$ref`s resolved). */
export function read2(doc: Record<string, unknown>): Draft {
  const componentKeys = componentMessageKeys(doc);
  const drafts = new Map<object, DraftMessage>();
  const message = (node: Record<string, unknown>, fallback: string): DraftMessage => {
    let draft = drafts.get(node);
    if (draft === undefined) {
      const effective = withTraits(node);
      const preferredKey = componentKeys.get(node) ?? stringField(effective, 'messageId') ?? stringField(effective, 'name') ?? fallback;
      draft = { node: effective, origin: node, preferredKey, payload: effective.payload, schemaFormat: stringField(effective, 'schemaFormat') };
      drafts.set(node, draft);
    }
    return draft;
  };
  const replies = (draft: DraftMessage, fallback: string): DraftMessage[] => {
    const reply = draft.node['x-reply'];
    return (Array.isArray(reply) ? reply : reply === undefined ? [] : [reply]).filter(isMap).map((node, i) => message(node, `${fallback}.reply${i === 0 ? '' : `[${i}]`}`));
  };

  const channels: DraftChannel[] = [];
  const operations: DraftOperation[] = [];
  for (const [address, node] of entriesOf(doc.channels)) {
    if (!isMap(node)) continue;
    const messages: DraftMessage[] = [];
    const channel: DraftChannel = {
      id: address,
      address,
      node,
      parameters: parameters(address, node.parameters),
      binding: wsBinding(node),
      servers: Array.isArray(node.servers) ? node.servers.filter((s): s is string => typeof s === 'string') : [],
      messages,
    };
    channels.push(channel);
    const add = (draft: DraftMessage) => {
      if (!messages.includes(draft)) messages.push(draft);
    };
    for (const kind of ['publish', 'subscribe'] as const) {
      const operation = node[kind];
      if (!isMap(operation)) continue;
      const id = stringField(operation, 'operationId') ?? `${address}.${kind}`;
      const action = kind === 'publish' ? 'receive' : 'send';
      const list = listed(operation.message);
      const own = list.map((m, i) => message(m, list.length === 1 ? id : `${id}[${i}]`));
      own.forEach(add);
      const answers = action === 'receive' ? own.map((draft) => replies(draft, draft.preferredKey)) : own.map(() => []);
      answers.flat().forEach(add);
      if (own.length > 1 && answers.some((a) => a.length > 0)) {
        own.forEach((draft, i) =>
          operations.push({ id: `${id}.${draft.preferredKey}`, action, channel, messages: [draft], reply: answers[i]!.length > 0 ? { channel, messages: answers[i]! } : undefined }),
        );
      } else {
        const reply = answers[0] ?? [];
        operations.push({ id, action, channel, messages: own, reply: reply.length > 0 ? { channel, messages: reply } : undefined });
      }
    }
  }

  const info = doc.info;
  return {
    title: stringField(info, 'title') ?? '',
    servers: entriesOf(doc.servers).map(([name, node]) => server(name, node)),
    channels,
    operations,
    warnings: [],
  };
}

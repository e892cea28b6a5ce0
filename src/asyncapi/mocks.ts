//
// `server.asyncapi(contract, options)`: WebSocket mocks for a contract's
// channels, one per address (channels that share an address, as Kraken's
// seven do on `/`, are one mock), each an ordinary WebSocket mock whose
// `contract` field names the contract, its channels, the mode and the
// replies: the contract layer checks and answers its traffic.
//
import type { Connection } from '../connections/Connection.js';
import { invalidArgument } from '../errors.js';
import { kindOf, unknownOption } from '../util/argument.js';
import { hasBrand } from '../util/brand.js';
import { treeProblem } from '../util/treeProblem.js';
import { compiledOf } from '../mocks/Mock.js';
import type { WebSocketMockConfig } from '../mocks/types.js';
import type { WebSocketMock } from '../mocks/WebSocketMock.js';
import type { SendData } from '../connections/types.js';
import { isLoadedContract, type ContractConfig, type ContractReplyOverride } from './config.js';
import type { ContractLayer } from './layer.js';
import type { AsyncApiContract, ContractChannel } from './model.js';
import type { ContractMode } from './types.js';

/** Options of `server.asyncapi()`. */
export interface AsyncApiOptions {
  /** `report` (default): violations are journaled and counted; `strict`: a bad client frame is answered with the declared error or closed with 1008 (see `ContractConfig.mode`). */
  contract?: ContractMode;
  /** Per operation id, what its reply is instead of the contract's message: a fixed value, or a function of the received payload (may be async). */
  replies?: Record<string, ContractReplyOverride>;
  /** The contract's server whose channels are served (a file or document contract). */
  server?: string;
  /** Where a file contract and its relative `$ref`s are resolved from. */
  baseDir?: string;
}

/** Options of {@link AsyncApiMocks.sendMessage}. */
export interface SendMessageOptions {
  /** Only this connection (built from its own random stream). */
  connection?: Connection;
}

/** What `server.asyncapi()` made: the mocks, and the contract they serve. */
export interface AsyncApiMocks {
  /** The contract, loaded. */
  readonly contract: AsyncApiContract;
  /** One WebSocket mock per distinct channel address, in the contract's channel order. */
  readonly mocks: WebSocketMock[];
  /** The mock serving a path, a channel id or a channel address; throws `WSMOCK_ERR_INVALID_ARGUMENT` naming the known ones. */
  mock(pathOrChannel: string): WebSocketMock;
  /**
   * Builds message `key` from the contract (`overrides` deep-merged),
   * validates it and sends it to the connections of every mock whose channels
   * send it (or to `options.connection` only). Returns the number of
   * recipients. Throws `WSMOCK_ERR_INVALID_ARGUMENT` naming the key, the
   * JSON path that breaks the schema (or that JSON cannot write), or the
   * option that is not `{ connection }` with a connection of these mocks;
   * then nothing is sent.
   */
  sendMessage(key: string, overrides?: unknown, options?: SendMessageOptions): number;
}

/** What `server.asyncapi()` needs of its server. */
export interface AsyncApiHost {
  readonly layer: ContractLayer;
  websocket(config: WebSocketMockConfig): WebSocketMock;
}

const OPTION_KEYS = ['contract', 'replies', 'server', 'baseDir'];

function checkOptions(options: unknown): AsyncApiOptions {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) throw invalidArgument('server.asyncapi(contract, options): options must be an object');
  const unknown = unknownOption(options, OPTION_KEYS);
  if (unknown !== undefined) throw invalidArgument(`server.asyncapi(): options.${unknown} is not an option (options: ${OPTION_KEYS.join(', ')})`);
  const o = options as AsyncApiOptions;
  if (o.contract !== undefined && o.contract !== 'report' && o.contract !== 'strict') throw invalidArgument(`server.asyncapi(): options.contract must be "report" or "strict", got ${JSON.stringify(o.contract)}`);
  if (o.replies !== undefined && (typeof o.replies !== 'object' || o.replies === null || Array.isArray(o.replies))) {
    throw invalidArgument('server.asyncapi(): options.replies must be an object of replies by operation id');
  }
  // A fixed reply is sent as JSON to every request: what JSON cannot write is refused now, not at each request.
  for (const [id, reply] of Object.entries(o.replies ?? {})) {
    if (typeof reply === 'function') continue;
    const found = treeProblem(reply, { json: true });
    if (found) throw invalidArgument(`server.asyncapi(): options.replies["${id}"] must be a JSON value or a function: ${found.path} ${found.problem}`);
  }
  return o;
}

/** The options of `sendMessage()` checked: absent, or `{ connection }` with a connection of these mocks. */
function checkSendOptions(key: string, options: unknown, mocks: readonly WebSocketMock[]): Connection | undefined {
  if (options === undefined) return undefined;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw invalidArgument(`sendMessage("${key}"): options must be an object ({ connection }), got ${kindOf(options)}`);
  }
  // A misspelt `connection` would send to every connection instead of one.
  const unknown = unknownOption(options, ['connection']);
  if (unknown !== undefined) throw invalidArgument(`sendMessage("${key}"): options.${unknown} is not an option (options: connection)`);
  const { connection } = options as SendMessageOptions;
  if (connection === undefined) return undefined;
  const id = (connection as { id?: unknown } | null)?.id;
  if (!hasBrand(connection, 'connection') || typeof id !== 'string' || !mocks.some((m) => m.id === connection.mockId)) {
    const what = typeof id === 'string' ? `${id}, which is not a connection of these mocks` : connection === null ? 'null' : typeof connection;
    throw invalidArgument(`sendMessage("${key}"): options.connection must be a connection of these mocks (from mock.waitForConnection()), got ${what}`);
  }
  return connection;
}

/** The channels of a contract grouped by the mock path they share (one mock each), in document order. */
export function channelsByPath(contract: AsyncApiContract): Map<string, ContractChannel[]> {
  const groups = new Map<string, ContractChannel[]>();
  for (const channel of contract.channels) {
    const group = groups.get(channel.path);
    if (group) group.push(channel);
    else groups.set(channel.path, [channel]);
  }
  return groups;
}

/** Implements `server.asyncapi()`. */
export async function serveContract(host: AsyncApiHost, source: string | object, rawOptions?: AsyncApiOptions): Promise<AsyncApiMocks> {
  const options = checkOptions(rawOptions);
  if (typeof source !== 'string' && (typeof source !== 'object' || source === null)) {
    throw invalidArgument('server.asyncapi(contract): contract must be a file path, an AsyncAPI document object or a contract from loadAsyncApi()');
  }
  const { service } = host.layer;
  const loadOptions = { ...(options.server === undefined ? {} : { server: options.server }), ...(options.baseDir === undefined ? {} : { baseDir: options.baseDir }) };
  const contract = isLoadedContract(source) ? service.canonical(source) : await (await service.runtime()).loadAsyncApi(source, loadOptions);
  // A document stays the mocks' declarative config (the admin API lists it whole); the service knows what it loads into.
  const document = typeof source === 'object' && !isLoadedContract(source) ? (source as Record<string, unknown>) : undefined;
  if (document) service.loaded(document, contract);
  for (const id of Object.keys(options.replies ?? {})) {
    const operation = contract.operations.find((op) => op.id === id);
    if (!operation?.reply) {
      const answered = contract.operations.filter((op) => op.reply).map((op) => `"${op.id}"`).join(', ') || '(none)';
      throw invalidArgument(`server.asyncapi(): options.replies["${id}"]: ${operation ? 'the operation declares no reply' : `"${id}" is not an operation of "${contract.title}"`} (operations with a reply: ${answered})`);
    }
  }
  const groups = channelsByPath(contract);
  const mocks: WebSocketMock[] = [];
  try {
    for (const [path, channels] of groups) {
      const field: ContractConfig = {
        ...(contract.file === undefined ? {} : { file: contract.file }),
        contract: document ?? contract,
        channel: channels.length === 1 ? channels[0]!.id : channels.map((c) => c.id),
        mode: options.contract ?? 'report',
        replies: options.replies ?? true,
        ...loadOptions,
      };
      mocks.push(host.websocket({ path, name: `${contract.title} ${channels.map((c) => c.address).join(', ')}`, contract: field }));
    }
    await Promise.all(mocks.map((mock) => host.layer.bindingOf(compiledOf(mock))!.ready));
  } catch (err) {
    await Promise.all(mocks.map((mock) => mock.remove()));
    throw err;
  }
  const channelsOf = (mock: WebSocketMock) => groups.get(mock.path) ?? [];
  return {
    contract,
    mocks,
    mock(name) {
      const found = mocks.find((mock) => mock.path === name || channelsOf(mock).some((c) => c.id === name || c.address === name));
      if (!found) throw invalidArgument(`asyncapi mocks: no mock serves "${name}" (paths: ${mocks.map((m) => m.path).join(', ')}; channels: ${contract.channels.map((c) => c.id).join(', ')})`);
      return found;
    },
    sendMessage(key, overrides, sendOptions) {
      const connection = checkSendOptions(key, sendOptions, mocks);
      if (connection) {
        const mock = mocks.find((m) => m.id === connection.mockId)!;
        const value = host.layer.service.build(host.layer.bindingOf(compiledOf(mock))!.bound!, mock.id, key, overrides, connection);
        connection.send(value as SendData).catch(() => {});
        return 1;
      }
      const message = contract.message(key);
      const senders = mocks.filter((mock) => {
        const bound = host.layer.bindingOf(compiledOf(mock))?.bound;
        return message !== undefined && bound?.out.uses.has(message);
      });
      // None sends it: the first mock's build names what is wrong.
      if (senders.length === 0) return mocks[0] ? mocks[0].sendMessage(key, overrides) : 0;
      return senders.reduce((n, mock) => n + mock.sendMessage(key, overrides), 0);
    },
  };
}

//
// The `contract` field of a WebSocket mock: which AsyncAPI contract and
// channel its traffic is checked against, how strictly, and whether the mock
// answers from the contract (the mocks `server.asyncapi()` makes). Built into
// the mock schema by mocks/schema.ts, as the proxy's field is; the envelope
// form (config files, the admin API) leaves the in-process parts out.
//
import { z } from 'zod';
import type { Connection } from '../connections/Connection.js';
import type { AsyncApiContract } from './model.js';
import type { ContractMode } from './types.js';
import { treeProblem } from '../util/treeProblem.js';

/**
 * What an operation's reply is made of instead of the contract's message: a
 * fixed payload, or a function of the received payload (may be async). Its
 * result is checked against the reply's messages like any frame the server sends.
 */
export type ContractReplyOverride =
  // The payload is the client's parsed JSON: typed loosely, as a handler reads it.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  | ((payload: any, connection: Connection) => unknown)
  | Record<string, unknown>
  | unknown[]
  | string
  | number
  | boolean
  | null;

/**
 * The contract a WebSocket mock's traffic is checked against (`server.websocket({ path, contract })`).
 * Exactly the frames of the named channel(s) are checked: a client frame
 * against the messages the server `receive`s there, a server frame against
 * those it `send`s (replies included).
 *
 * @example
 * ```ts
 * server.websocket({ path: '/v1/marketdata/:symbol', matchers: [...],
 *   contract: { file: 'gemini.asyncapi.yaml', channel: 'marketData', mode: 'strict' } });
 * ```
 */
export interface ContractConfig {
  /** The contract file (AsyncAPI 2.6 or 3.0, YAML or JSON), relative to `baseDir` or the working directory. */
  file?: string;
  /** The contract: one from `loadAsyncApi()` (in-process), or the document itself as an object. Wins over `file`, which then only names it. */
  contract?: AsyncApiContract | Record<string, unknown>;
  /** The channel(s), by id or address. Default: every channel of the contract whose address is the mock's path. */
  channel?: string | string[];
  /**
   * `report` (default): violations are journaled, emitted and counted; the
   * traffic goes on. `strict`: a client frame that breaks the contract is not
   * handled further but answered with the error message its operation
   * declares (a reply message whose key, `messageId` or `name` contains
   * `error`, or one marked `x-error: true`), else the connection is closed
   * with 1008 naming the violation; a handshake that breaks the channel's
   * bindings or parameters is refused with 400.
   */
  mode?: ContractMode;
  /**
   * Answer what the client sends from the contract: a received message whose
   * operation declares a `reply` gets a message of the reply's type (its first
   * example, else generated from its schema, seeded), the correlation id
   * copied. An object also overrides replies per operation id.
   */
  replies?: boolean | Record<string, ContractReplyOverride>;
  /** The contract's server whose channels are served (a `file` or document contract). */
  server?: string;
  /** Where a `file` and the document's relative `$ref`s are resolved from (default: the working directory). */
  baseDir?: string;
}

/** The mode names, for messages. */
const MODES = ['report', 'strict'] as const;

/** Whether `value` is a contract from `loadAsyncApi()` (not a document). */
export function isLoadedContract(value: unknown): value is AsyncApiContract {
  const v = value as Partial<AsyncApiContract> | null;
  return typeof v === 'object' && v !== null && typeof v.message === 'function' && Array.isArray(v.channels) && v.messages instanceof Map;
}

/** The `contract` schema: in-process it also takes a loaded contract and reply functions. */
export function contractSchema(inProcess: boolean) {
  const channel = z.string().min(1, 'must be a channel id or address');
  return z
    .strictObject({
      file: z.string().min(1, 'must be a file path').optional(),
      contract: z
        .custom<object>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), inProcess ? 'must be a contract from loadAsyncApi() or an AsyncAPI document object' : 'must be an AsyncAPI document object')
        .optional(),
      channel: z.union([channel, z.array(channel).min(1, 'must list at least one channel')], { error: 'must be a channel id or address, or a list of them' }).optional(),
      mode: z.enum(MODES, { error: `must be one of ${MODES.map((m) => `"${m}"`).join(', ')}` }).optional(),
      replies: z.union([z.boolean(), z.record(z.string(), z.unknown())], { error: 'must be true, false or an object of replies by operation id' }).optional(),
      server: z.string().min(1, 'must be a server name').optional(),
      baseDir: z.string().min(1, 'must be a directory').optional(),
    })
    .check((ctx) => {
      if (ctx.value.file === undefined && ctx.value.contract === undefined) {
        ctx.issues.push({ code: 'custom', path: [], message: 'needs "file" or "contract"', input: ctx.value });
      }
      if (!inProcess && isLoadedContract(ctx.value.contract)) {
        ctx.issues.push({ code: 'custom', path: ['contract'], message: 'must be an AsyncAPI document object', input: ctx.value });
      }
      // A fixed reply is sent as JSON to every request: what JSON cannot write is refused here, not at each request.
      const { replies } = ctx.value;
      for (const [id, reply] of typeof replies === 'object' ? Object.entries(replies) : []) {
        if (inProcess && typeof reply === 'function') continue;
        const found = treeProblem(reply, { json: true });
        if (found) ctx.issues.push({ code: 'custom', path: ['replies', id], message: `must be a JSON value${inProcess ? ' or a function' : ''}: ${found.path} ${found.problem}`, input: ctx.value });
      }
    });
}

/** The envelope form of a `contract` field: a loaded contract and reply functions left out (a file-based one stays complete). */
export function contractFields(config: ContractConfig): Record<string, unknown> {
  const { contract, replies, ...rest } = config;
  const fields: Record<string, unknown> = { ...rest };
  if (contract !== undefined && !isLoadedContract(contract)) fields.contract = contract;
  if (typeof replies === 'object' && replies !== null) {
    fields.replies = Object.fromEntries(Object.entries(replies).filter(([, value]) => typeof value !== 'function'));
  } else if (replies !== undefined) fields.replies = replies;
  return fields;
}

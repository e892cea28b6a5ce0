//
// An AsyncAPI contract as wsmock reads it: the document (2.6, 3.0 or 3.1)
// normalised into one model, so the mocks, the contract checks and the
// coverage report never look at a version's own shape. Everything here is
// seen from the server's side: a message the server `receive`s is one a
// client sends (2.x `publish`, 3.x `action: receive`); one the server `send`s
// is one a client receives (2.x `subscribe`, 3.x `action: send`).
//

/** A JSON Schema object (AsyncAPI's schema format is a superset of draft 7). */
export type JsonSchema = Record<string, unknown> | boolean;

/** One reason a value does not fit a schema. */
export interface ContractError {
  /** Where, as a JSON path from the payload's root: `$`, `$.reqid`, `$.pair[0]`. */
  readonly path: string;
  /** What is wrong, in the validator's words (`must be number`). */
  readonly message: string;
  /** The schema keyword that failed (`type`, `required`, `const`, ...). */
  readonly keyword: string;
}

/** Something the loader noticed and went on with (an example that fails its own schema, a channel skipped). */
export interface ContractWarning {
  /** Where in the document, as a JSON path (`$.components.messages.pong.examples[0]`). */
  readonly path: string;
  readonly message: string;
}

/** A message of the contract, with its payload validator compiled once. */
export interface ContractMessage {
  /**
   * Its key: the name under `components.messages` when it is defined there,
   * else `<channel id>.<name>` (3.x channel messages) or the `messageId`.
   */
  readonly key: string;
  /** `messageId` (2.x). */
  readonly messageId: string | undefined;
  /** `name`. */
  readonly name: string | undefined;
  readonly title: string | undefined;
  readonly summary: string | undefined;
  /** The payload schema, `$ref`s resolved (undefined: any payload). */
  readonly payload: JsonSchema | undefined;
  /** The example payloads, in document order (`examples[].payload`; an example of headers only has none). */
  readonly examples: readonly unknown[];
  /** The correlation id's place in the payload as a JSON pointer (`/reqid`), from `correlationId.location` `$message.payload#/reqid`. */
  readonly correlationPointer: string | undefined;
  /** The payload's errors against its schema; empty when it fits. Compiled once per contract. */
  validate(payload: unknown): readonly ContractError[];
}

/** The WebSocket binding of a channel (`bindings.ws`): what the handshake's query and headers must fit. */
export interface ContractWsBinding {
  readonly query: JsonSchema | undefined;
  readonly headers: JsonSchema | undefined;
}

/** A channel: one address, and the messages that travel on it. */
export interface ContractChannel {
  /** Its key under `channels`. */
  readonly id: string;
  /** The address as written: `/v1/marketdata/{symbol}` (2.x: the channel's key). */
  readonly address: string;
  /** The address as a wsmock path: `/v1/marketdata/:symbol` (an address without a leading `/` gets one). */
  readonly path: string;
  /** Parameter schemas by name (3.x `enum`/`default`/`examples` are turned into a schema). */
  readonly parameters: Readonly<Record<string, JsonSchema>>;
  readonly binding: ContractWsBinding | undefined;
  /** The names of the servers it is on; empty: every server. */
  readonly servers: readonly string[];
  /** Every message on it (both directions). */
  readonly messages: readonly ContractMessage[];
}

/** A reply an operation declares (3.x `reply`; 2.x, see load.ts). */
export interface ContractReply {
  /** The channel the reply travels on (usually the operation's own). */
  readonly channel: ContractChannel;
  /** The reply's possible messages; the first is the one a mock sends. */
  readonly messages: readonly ContractMessage[];
}

/** An operation: what the server sends or receives on a channel. */
export interface ContractOperation {
  /** Its key under `operations` (3.x) or `operationId`, else `<channel id>.publish|subscribe` (2.x). */
  readonly id: string;
  /** From the server's side: `receive` (a client sends it) or `send` (the server sends it). */
  readonly action: 'send' | 'receive';
  readonly channel: ContractChannel;
  readonly messages: readonly ContractMessage[];
  readonly reply: ContractReply | undefined;
}

/** A server of the contract. */
export interface ContractServer {
  readonly name: string;
  /** `ws`, `wss`, `mqtt`, ... */
  readonly protocol: string;
  readonly host: string;
  /** 3.x `pathname`; 2.x the URL's path. */
  readonly pathname: string | undefined;
}

/** A loaded, validated AsyncAPI document. Build one with `loadAsyncApi()`. */
export interface AsyncApiContract {
  /** The document's `asyncapi` version (`2.6.0`, `3.0.0`, `3.1.0`). */
  readonly version: string;
  readonly title: string;
  /** The file it was read from (absolute), undefined for an object. */
  readonly file: string | undefined;
  readonly servers: readonly ContractServer[];
  /** The channels to serve: those on the chosen server's or on any `ws`/`wss` server's, or all without `servers`. */
  readonly channels: readonly ContractChannel[];
  /** Channels left out (on no WebSocket server), each with why: they go into the coverage report as skipped. */
  readonly skipped: readonly { readonly channel: string; readonly reason: string }[];
  readonly operations: readonly ContractOperation[];
  /** Every message, by key. */
  readonly messages: ReadonlyMap<string, ContractMessage>;
  /** What the loader noticed and went on with. */
  readonly warnings: readonly ContractWarning[];
  /** A message by its key, `messageId` or `name` (undefined: none). */
  message(keyOrId: string): ContractMessage | undefined;
}

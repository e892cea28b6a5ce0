//
// The contract layer's service: the contracts a server's mocks are bound to
// (a file read once and shared by the mocks that name it), each mock
// version's binding, the coverage behind `server.contractReport()`, the
// violations reported to the server, and the messages `sendMessage()` builds.
//
import { resolve } from 'node:path';
import type { Connection } from '../connections/Connection.js';
import { kCore } from '../connections/Connection.js';
import { treeProblem } from '../util/treeProblem.js';
import { invalidArgument } from '../errors.js';
import { SeededRandom } from '../util/random.js';
import { toError } from '../util/toError.js';
import { coerce, coerceObject, directions, pickChannels, type BoundContract, type HandshakeChecks, type Runtime, type SchemaCheck } from './binding.js';
import { isLoadedContract, type ContractConfig } from './config.js';
import type { AsyncApiContract, ContractChannel, ContractError, JsonSchema } from './model.js';
import { Coverage, countViolation, type ContractReport, type CoverageCounter } from './report.js';
import type { ContractViolation } from './types.js';
import { recordViolation } from './violations.js';

/** What the service reports to the server. */
export interface ContractEvents {
  /** A violation on a connection of mock `mockId` (counted, emitted). */
  violated(mockId: string, violation: ContractViolation, connection: Connection): void;
  /** A mock's contract could not be bound (its file, its channel): the server's `error`. */
  failed(error: Error, mockId: string): void;
}

/** A mock version's contract: ready once its contract is loaded and its channels found. */
export class MockBinding {
  readonly mockId: string;
  readonly ready: Promise<BoundContract>;
  #bound: BoundContract | undefined;
  #error: Error | undefined;

  constructor(mockId: string, ready: Promise<BoundContract>) {
    this.mockId = mockId;
    this.ready = ready.then(
      (bound) => (this.#bound = bound),
      (err: unknown) => {
        throw (this.#error = toError(err));
      },
    );
    // Whoever waits sees the failure; the failure itself is reported once, by the service.
    this.ready.catch(() => {});
  }

  /** The contract, once ready. */
  get bound(): BoundContract | undefined {
    return this.#bound;
  }

  /** Why it could not be bound, if it could not. */
  get error(): Error | undefined {
    return this.#error;
  }
}

/** A handshake part that breaks its channel's contract. */
export interface HandshakeFault {
  readonly part: 'query' | 'headers' | 'parameters';
  readonly channel: ContractChannel;
  readonly errors: readonly ContractError[];
}

/** Prefixes an error's path with a handshake part: `$.symbol` → `$.query.symbol`. */
function under(part: string, errors: readonly ContractError[], name?: string): ContractError[] {
  return errors.map((e) => ({ ...e, path: `$.${part}${name === undefined ? '' : `.${name}`}${e.path.slice(1)}` }));
}

/** A 32-bit hash of a mock id (its own random stream). */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** The contract layer's service. */
export class ServerContracts {
  readonly #seed: number;
  readonly #journalLimit: number;
  readonly #events: ContractEvents;
  #runtime: Promise<Runtime> | undefined;
  /** Contracts read from files, by absolute file and server. */
  #files = new Map<string, Promise<AsyncApiContract>>();
  /** Contracts from documents, by document. */
  #documents = new WeakMap<object, Promise<AsyncApiContract>>();
  /** A loaded contract by its message map, which copies of a config share: the first one seen. */
  readonly #canonical = new WeakMap<object, AsyncApiContract>();
  #coverage = new Map<AsyncApiContract, Coverage>();
  /** The handshake schemas' compiler of each contract (one Ajv instance, as its payloads have). */
  readonly #validators = new WeakMap<AsyncApiContract, { compile(schema: JsonSchema | undefined): SchemaCheck }>();
  /** Each mock's stream of the server's random, for `sendMessage()` to all its connections. */
  #randoms = new Map<string, SeededRandom>();

  constructor(seed: number, journalLimit: number, events: ContractEvents) {
    this.#seed = seed;
    this.#journalLimit = journalLimit;
    this.#events = events;
  }

  /** The runtime, imported on first use. */
  runtime(): Promise<Runtime> {
    return (this.#runtime ??= import('./runtime.js'));
  }

  /** Binds mock `mockId`'s version at `path` to its `contract` field (asynchronously; a failure is reported as the server's `error`). */
  bind(mockId: string, config: ContractConfig, path: string): MockBinding {
    const binding = new MockBinding(mockId, this.#bind(config, path));
    binding.ready.catch((err: unknown) => this.#events.failed(toError(err), mockId));
    return binding;
  }

  async #bind(config: ContractConfig, path: string): Promise<BoundContract> {
    const runtime = await this.runtime();
    const contract = await this.#contract(runtime, config);
    const channels = pickChannels(contract, config, path);
    let coverage = this.#coverage.get(contract);
    if (!coverage) this.#coverage.set(contract, (coverage = new Coverage(contract)));
    for (const channel of channels) coverage.served(channel);
    let validators = this.#validators.get(contract);
    if (!validators) this.#validators.set(contract, (validators = new runtime.ContractValidators(await runtime.loadSchemaLibs())));
    const compile = validators;
    const overrides = typeof config.replies === 'object' && config.replies !== null ? config.replies : {};
    return {
      runtime,
      contract,
      coverage,
      channels,
      ...directions(contract, channels, coverage),
      handshake: channels.map((channel) => handshakeChecks(compile, channel)),
      mode: config.mode ?? 'report',
      replies: config.replies !== undefined && config.replies !== false,
      overrides,
    };
  }

  #contract(runtime: Runtime, config: ContractConfig): Promise<AsyncApiContract> {
    const options = { ...(config.server === undefined ? {} : { server: config.server }), ...(config.baseDir === undefined ? {} : { baseDir: config.baseDir }) };
    const given = config.contract;
    if (isLoadedContract(given)) {
      const canonical = this.#canonical.get(given.messages) ?? given;
      this.#canonical.set(given.messages, canonical);
      return Promise.resolve(canonical);
    }
    if (given !== undefined) {
      let loading = this.#documents.get(given);
      if (!loading) this.#documents.set(given, (loading = runtime.loadAsyncApi(given, options)));
      return loading;
    }
    const file = resolve(config.baseDir ?? '.', config.file!);
    const key = `${file}\0${config.server ?? ''}`;
    let loading = this.#files.get(key);
    if (!loading) {
      this.#files.set(key, (loading = runtime.loadAsyncApi(file, options)));
      // A file that failed is read again next time (it may have been fixed).
      loading.catch(() => this.#files.delete(key));
    }
    return loading;
  }

  /** `document` was loaded into `contract` (by `server.asyncapi()`): a mock whose field holds the document binds to it without reading it again. */
  loaded(document: object, contract: AsyncApiContract): void {
    this.#documents.set(document, Promise.resolve(contract));
  }

  /** A loaded contract as the service knows it (the one its coverage is counted on). */
  canonical(contract: AsyncApiContract): AsyncApiContract {
    const known = this.#canonical.get(contract.messages);
    if (known) return known;
    this.#canonical.set(contract.messages, contract);
    return contract;
  }

  /** Journals, counts and reports a violation. */
  violated(bound: BoundContract, mockId: string, connection: Connection, violation: ContractViolation, targets: readonly CoverageCounter[]): void {
    recordViolation(connection, violation, this.#journalLimit);
    bound.coverage.violated();
    countViolation(targets);
    this.#events.violated(mockId, violation, connection);
  }

  /** What a handshake breaks of the contract: `query`, `headers` (names in lower case) and `params` as the request carries them. */
  handshakeFaults(bound: BoundContract, query: Record<string, string>, headers: Record<string, unknown>, params: Record<string, string>): HandshakeFault[] {
    const faults: HandshakeFault[] = [];
    for (const checks of bound.handshake) {
      const { channel } = checks;
      if (checks.query) {
        const errors = checks.query(coerceObject(channel.binding?.query, query));
        if (errors.length > 0) faults.push({ part: 'query', channel, errors: under('query', errors) });
      }
      if (checks.headers) {
        // Header names are case-insensitive: the schema's own spelling is looked up in lower case.
        const schema = channel.binding?.headers;
        const properties = typeof schema === 'object' && schema !== null ? Object.keys((schema.properties as object | undefined) ?? {}) : [];
        const named: Record<string, unknown> = { ...headers };
        for (const name of properties) {
          const value = headers[name.toLowerCase()];
          delete named[name.toLowerCase()];
          if (value !== undefined) named[name] = value;
        }
        const errors = checks.headers(coerceObject(schema, named));
        if (errors.length > 0) faults.push({ part: 'headers', channel, errors: under('headers', errors) });
      }
      for (const [name, check] of checks.parameters) {
        if (params[name] === undefined) continue;
        const errors = check(coerce(channel.parameters[name], params[name]));
        if (errors.length > 0) faults.push({ part: 'parameters', channel, errors: under('parameters', errors, name) });
      }
    }
    return faults;
  }

  /**
   * Builds message `key` for `bound`'s mock from the contract (with
   * `overrides`), seeded by `connection`'s random stream or the mock's own,
   * and validates it. Throws `WSMOCK_ERR_INVALID_ARGUMENT` naming the key or
   * the JSON path that breaks, and nothing is sent.
   */
  build(bound: BoundContract, mockId: string, key: string, overrides: unknown, connection: Connection | undefined): unknown {
    if (typeof key !== 'string') throw invalidArgument(`sendMessage(key): key must be the key, messageId or name of a message, got ${key === null ? 'null' : typeof key}`);
    const notJson = treeProblem(overrides, { json: true });
    if (notJson) throw invalidArgument(`sendMessage("${key}"): overrides must be JSON, so nothing was sent: ${notJson.path} ${notJson.problem}`);
    const message = bound.contract.message(key);
    if (!message) {
      throw invalidArgument(`sendMessage("${key}"): no message of "${bound.contract.title}" has that key, messageId or name (messages: ${[...bound.contract.messages.keys()].join(', ')})`);
    }
    if (!bound.out.uses.has(message)) {
      const sent = bound.out.messages.map((m) => m.key).join(', ') || '(none)';
      throw invalidArgument(`sendMessage("${key}"): the server does not send "${message.key}" on ${bound.channels.map((c) => `"${c.id}"`).join(', ')} (it sends: ${sent})`);
    }
    let random = connection?.[kCore].random();
    if (!random) {
      random = this.#randoms.get(mockId);
      if (!random) this.#randoms.set(mockId, (random = SeededRandom.stream(this.#seed ^ hash(mockId), 0)));
    }
    const value = bound.runtime.buildMessage(message, random, overrides);
    const errors = message.validate(value);
    if (errors.length > 0) {
      const list = errors.map((e) => `${e.path} ${e.message}`).join('; ');
      throw invalidArgument(`sendMessage("${key}"): the message does not fit its schema, so nothing was sent: ${list}`);
    }
    return value;
  }

  /** The coverage of every contract bound since start or the last reset. */
  report(): ContractReport {
    return { contracts: [...this.#coverage.values()].map((coverage) => coverage.toJSON()) };
  }

  /** A mock is gone: its random stream with it. */
  forget(mockId: string): void {
    this.#randoms.delete(mockId);
  }

  /** `server.reset()`: every contract, count and stream forgotten. */
  reset(): void {
    this.#files = new Map();
    this.#documents = new WeakMap();
    this.#coverage = new Map();
    this.#randoms = new Map();
  }
}

/** The compiled handshake schemas of `channel`. */
function handshakeChecks(validators: { compile(schema: JsonSchema | undefined): SchemaCheck }, channel: ContractChannel): HandshakeChecks & { readonly channel: ContractChannel } {
  const { binding } = channel;
  return {
    channel,
    query: binding?.query === undefined ? undefined : validators.compile(binding.query),
    headers: binding?.headers === undefined ? undefined : validators.compile(binding.headers),
    parameters: new Map(Object.entries(channel.parameters).map(([name, schema]) => [name, validators.compile(schema)])),
  };
}

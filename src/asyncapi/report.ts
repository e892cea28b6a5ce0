//
// Coverage: what the traffic of a server's contract mocks used of each
// contract, counted as frames pass (one counter object per channel, operation
// and message, made when the contract is first bound: a frame that fits adds
// to three numbers and makes nothing), and `server.contractReport()`, the
// JSON-serialisable view of it. `reset()` forgets every contract.
//
import type { AsyncApiContract, ContractChannel, ContractMessage, ContractOperation } from './model.js';

/** How often one part of a contract was used. */
export interface CoverageCounts {
  /** Whether any frame used it. */
  seen: boolean;
  /** Frames that used it and fit. */
  count: number;
  /** Frames that broke the contract there (the closest message's, its operations', its channel's). */
  violations: number;
}

/** A channel of the contract in the report. */
export interface ChannelCoverage extends CoverageCounts {
  /** Its key under `channels`. */
  id: string;
  /** Its address as written. */
  address: string;
  /** Whether a mock serves (or checks) it. */
  served: boolean;
}

/** An operation of the contract in the report. */
export interface OperationCoverage extends CoverageCounts {
  /** Its id (3.x key, 2.x `operationId` or `<channel>.publish|subscribe`). */
  id: string;
  /** From the server's side: `receive` (clients send it), `send` (the server does). */
  action: 'send' | 'receive';
  /** Its channel's id. */
  channel: string;
  /** For an operation with a reply: how many of its replies went out (`seen`, `count`) and broke it (`violations`). */
  reply?: CoverageCounts;
}

/** A message of the contract in the report. */
export interface MessageCoverage extends CoverageCounts {
  /** Its key (see `ContractMessage.key`). */
  key: string;
}

/** One contract's coverage. */
export interface ContractCoverage {
  /** `info.title`. */
  title: string;
  /** The file it was loaded from, if any. */
  file?: string;
  /** Its `asyncapi` version. */
  version: string;
  /** Violations on its channels, handshakes included. */
  violations: number;
  channels: ChannelCoverage[];
  operations: OperationCoverage[];
  messages: MessageCoverage[];
  /** Channels not served (on no WebSocket server), each with why. */
  skipped: { channel: string; reason: string }[];
}

/** `server.contractReport()`: every contract the server's mocks were bound to since it started or last reset. */
export interface ContractReport {
  contracts: ContractCoverage[];
}

/** One mutable counter of the coverage. */
export interface CoverageCounter {
  seen: boolean;
  count: number;
  violations: number;
}

const counter = (): CoverageCounter => ({ seen: false, count: 0, violations: 0 });

/**
 * One contract's counters. A message's counter knows the counters it adds to
 * in each direction, so counting a frame walks a short list.
 */
export class Coverage {
  readonly contract: AsyncApiContract;
  readonly #channels = new Map<ContractChannel, CoverageCounter>();
  readonly #operations = new Map<ContractOperation, CoverageCounter>();
  readonly #replies = new Map<ContractOperation, CoverageCounter>();
  readonly #messages = new Map<ContractMessage, CoverageCounter>();
  readonly #served = new Set<ContractChannel>();
  #violations = 0;

  constructor(contract: AsyncApiContract) {
    this.contract = contract;
    for (const channel of contract.channels) this.#channels.set(channel, counter());
    for (const operation of contract.operations) {
      this.#operations.set(operation, counter());
      if (operation.reply) this.#replies.set(operation, counter());
    }
    for (const message of contract.messages.values()) this.#messages.set(message, counter());
  }

  /** A mock serves (or checks) `channel`. */
  served(channel: ContractChannel): void {
    this.#served.add(channel);
  }

  /**
   * The counters a frame of `message` on `channel` adds to: the message's,
   * the channel's, and those of the operations that carry it that way (`in`:
   * what the server receives; `out`: what it sends, replies included).
   */
  targets(channel: ContractChannel, message: ContractMessage, direction: 'in' | 'out'): CoverageCounter[] {
    const targets = [this.#messages.get(message) ?? this.#add(this.#messages, message), this.#channels.get(channel) ?? this.#add(this.#channels, channel)];
    for (const operation of this.contract.operations) {
      if (operation.channel !== channel && operation.reply?.channel !== channel) continue;
      if (operation.channel === channel && operation.messages.includes(message) && (operation.action === 'receive') === (direction === 'in')) {
        targets.push(this.#operations.get(operation)!);
      }
      if (direction === 'out' && operation.reply?.messages.includes(message)) targets.push(this.#replies.get(operation)!);
    }
    return targets;
  }

  /** A violation no message was close to, on `channel`. */
  channelTarget(channel: ContractChannel): CoverageCounter[] {
    return [this.#channels.get(channel) ?? this.#add(this.#channels, channel)];
  }

  /** Counts a violation of the contract (its targets are counted by the caller). */
  violated(): void {
    this.#violations++;
  }

  #add<K>(map: Map<K, CoverageCounter>, key: K): CoverageCounter {
    const made = counter();
    map.set(key, made);
    return made;
  }

  /** The JSON view. */
  toJSON(): ContractCoverage {
    const counts = (c: CoverageCounter): CoverageCounts => ({ seen: c.seen, count: c.count, violations: c.violations });
    const { contract } = this;
    return {
      title: contract.title,
      ...(contract.file === undefined ? {} : { file: contract.file }),
      version: contract.version,
      violations: this.#violations,
      channels: [...this.#channels].map(([channel, c]) => ({ id: channel.id, address: channel.address, served: this.#served.has(channel), ...counts(c) })),
      operations: [...this.#operations].map(([operation, c]) => {
        const reply = this.#replies.get(operation);
        return { id: operation.id, action: operation.action, channel: operation.channel.id, ...counts(c), ...(reply ? { reply: counts(reply) } : {}) };
      }),
      messages: [...this.#messages].map(([message, c]) => ({ key: message.key, ...counts(c) })),
      skipped: contract.skipped.map((s) => ({ channel: s.channel, reason: s.reason })),
    };
  }
}

/** Adds a frame that fit to each of `targets`. */
export function countFit(targets: readonly CoverageCounter[]): void {
  for (const t of targets) {
    t.seen = true;
    t.count++;
  }
}

/** Adds a violation to each of `targets`. */
export function countViolation(targets: readonly CoverageCounter[]): void {
  for (const t of targets) t.violations++;
}

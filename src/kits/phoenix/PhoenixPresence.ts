import { invalidArgument } from '../../kit/index.js';
import { brandAs, isBranded } from './brand.js';

/** One presence entry of a key: what `track` was given, with the `phx_ref` Phoenix adds. */
export type PresenceMeta = Record<string, unknown> & {
  /** The ref Phoenix gives each tracked entry; the client's Presence tells entries apart by it. */
  phx_ref: string;
};

/** Presence state as Phoenix sends it: `{ [key]: { metas: [...] } }`. */
export type PresenceState = Record<
  string,
  {
    /** One entry per `track` of the key. */
    metas: PresenceMeta[];
  }
>;

/** What a topic's presence tells its channels. */
export interface PresenceSink {
  /** A diff for every synced channel of the topic (the others get the whole state); returns how many channels were told. */
  diff(topic: string, joins: PresenceState, leaves: PresenceState): number;
}

/** The tracked presences of one topic, kept by the mock across its versions. */
export class PresenceTopic {
  readonly entries = new Map<string, PresenceMeta[]>();
  #ref = 0;

  /** A fresh `phx_ref`. */
  nextRef(): string {
    return `wsmock-${++this.#ref}`;
  }

  /** The state as `presence_state` carries it. */
  state(): PresenceState {
    const state: PresenceState = {};
    for (const [key, metas] of this.entries) state[key] = { metas: [...metas] };
    return state;
  }
}

/**
 * The presence of one topic on a Phoenix mock (`mock.presence(topic)`), as
 * `Phoenix.Presence` tracks it: every channel joined on the topic gets
 * `presence_state` once, then a `presence_diff` per change, which the
 * client's `Presence` syncs.
 *
 * @example
 * ```ts
 * mock.presence('room:lobby').track('ada', { online_at: '1' });
 * mock.presence('room:lobby').untrack('ada');
 * ```
 */
export class PhoenixPresence {
  /** The topic. */
  readonly topic: string;
  readonly #entries: PresenceTopic;
  readonly #sink: PresenceSink;

  /** @internal Made by the mock. */
  constructor(topic: string, entries: PresenceTopic, sink: PresenceSink) {
    this.topic = topic;
    this.#entries = entries;
    this.#sink = sink;
    brandAs(this, 'presence');
  }

  /** True for a presence handle from this copy of wsmock or another. */
  static [Symbol.hasInstance](value: unknown): boolean {
    return isBranded(value, 'presence');
  }

  /** The tracked presences, as `presence_state` carries them. */
  list(): PresenceState {
    return this.#entries.state();
  }

  /**
   * Tracks `key` with `meta` (one more meta when the key is tracked already,
   * as a second tab of the same user). Synchronous: returns how many
   * channels were told.
   */
  track(key: string, meta: Record<string, unknown> = {}): number {
    if (typeof key !== 'string' || key === '') throw invalidArgument(`presence("${this.topic}").track(key, meta): key must be a non-empty string, got ${JSON.stringify(key)}`);
    if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) throw invalidArgument(`presence("${this.topic}").track(key, meta): meta must be an object, got ${JSON.stringify(meta)}`);
    const entry: PresenceMeta = { ...meta, phx_ref: this.#entries.nextRef() };
    const metas = this.#entries.entries.get(key) ?? [];
    metas.push(entry);
    this.#entries.entries.set(key, metas);
    return this.#sink.diff(this.topic, { [key]: { metas: [entry] } }, {});
  }

  /**
   * Stops tracking `key`: every meta of it, or only the one whose `phx_ref`
   * is `ref` (one tab of a user). Synchronous: returns how many channels were
   * told (0 when nothing was tracked).
   */
  untrack(key: string, ref?: string): number {
    const metas = this.#entries.entries.get(key);
    if (!metas) return 0;
    const left = ref === undefined ? metas : metas.filter((meta) => meta.phx_ref === ref);
    if (left.length === 0) return 0;
    const kept = metas.filter((meta) => !left.includes(meta));
    if (kept.length === 0) this.#entries.entries.delete(key);
    else this.#entries.entries.set(key, kept);
    return this.#sink.diff(this.topic, {}, { [key]: { metas: left } });
  }
}

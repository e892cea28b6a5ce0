//
// The Phoenix Channels kit (`server.phoenix()`, envelope `type: phoenix`) on
// the public seam, and `definePhoenixKit`, which makes a kit of a protocol
// built on Phoenix Channels (Supabase Realtime): its own type, path, fields,
// handle class and flavour over the same transports, serializers, channels
// and presence. The WebSocket endpoint fields come from the seam; the
// client's transports live under the mock's path (`/socket/websocket`,
// `/socket/longpoll`).
//
import { defineKit, type ConfigOfKit, type HandshakeVerifier, type Kit, type KitMockClass, type z } from '../../kit/index.js';
import { parseDuration } from '../../util/duration.js';
import type { Assert, Same } from '../../util/typeChecks.js';
import type { PhoenixFlavour } from './flavour.js';
import type { LongPollTimings } from './LongPollSession.js';
import { PhoenixMock } from './PhoenixMock.js';
import type { PhoenixSocket } from './PhoenixSocket.js';
import { Routes } from './routes.js';
import { phoenixInProcess, phoenixSchema } from './schema.js';
import { phoenixStage } from './stage.js';
import { PhoenixState } from './state.js';
import { phoenixTransport } from './transport.js';
import type { PhoenixMockConfig } from './types.js';

/** Phoenix's long-poll defaults: `window_ms` 10 s, `timeout` 20 s. */
const DEFAULT_WINDOW = 10_000;
const DEFAULT_TIMEOUT = 20_000;
/** The seam's frame limit when the config names none. */
const DEFAULT_MAX_BODY = 1024 * 1024;

function longPollTimings(config: PhoenixMockConfig): LongPollTimings | undefined {
  const longpoll = config.longpoll ?? true;
  if (longpoll === false) return undefined;
  const given = longpoll === true ? {} : longpoll;
  return { window: parseDuration(given.window) ?? DEFAULT_WINDOW, timeout: parseDuration(given.timeout) ?? DEFAULT_TIMEOUT };
}

/** The kit's check, then the config's: the first refusal wins. */
function bothVerify(first: HandshakeVerifier | undefined, second: HandshakeVerifier | undefined): HandshakeVerifier | undefined {
  if (!first || !second) return first ?? second;
  return async (request) => {
    const verdict = await first(request);
    return verdict === true ? second(request) : verdict;
  };
}

/** What {@link definePhoenixKit} takes: a protocol on Phoenix Channels. */
export interface PhoenixKitOptions<Type extends string, Schema extends z.ZodObject, M> {
  /** The mock type (`supabase`). */
  readonly type: Type;
  /** How messages name it (`Supabase Realtime mock config: …`). */
  readonly title: string;
  /** Where its mocks go when their config names no path. */
  readonly defaultPath: string;
  /** Its declarative fields: `phoenixSchema.extend({ … })`. */
  readonly schema: Schema;
  /** Its in-process fields (default: Phoenix's, where a join or an event may be a function). */
  readonly inProcess?: z.ZodRawShape;
  /** Its mock handle: a class extending {@link PhoenixMock}. */
  readonly mock: KitMockClass<M>;
  /** A check of every handshake, before the config's `handshake.verify` (Realtime refuses a client without an API key). */
  readonly verify?: HandshakeVerifier;
  /** Its hooks, made for each version of a mock from its config and the mock's state. */
  readonly flavour?: (config: never, state: PhoenixState) => PhoenixFlavour;
}

/**
 * A kit of a protocol built on Phoenix Channels: the Phoenix transports,
 * serializers, channels and presence, with `options.flavour` deciding joins
 * and pushes first.
 */
export function definePhoenixKit<Type extends string, Schema extends z.ZodObject, M, Config = unknown>(options: PhoenixKitOptions<Type, Schema, M>): Kit<Type, Config, M, PhoenixSocket> {
  return defineKit({
    type: options.type,
    title: options.title,
    defaultPath: options.defaultPath,
    schema: options.schema,
    inProcess: options.inProcess ?? phoenixInProcess,
    // The client offers `phoenix` beside its auth token's subprotocol, and fails a handshake that picks none.
    subprotocols: ['phoenix'],
    subpaths: ['websocket', 'longpoll'],
    state: ({ group }) => new PhoenixState(group),
    stages({ config, state, host }) {
      const phoenixConfig = config as unknown as PhoenixMockConfig;
      state.flavour = options.flavour?.(config as never, state) ?? {};
      return [phoenixStage({ routes: new Routes(phoenixConfig.channels), state, host })];
    },
    transport({ config, state }) {
      const phoenixConfig = config as unknown as PhoenixMockConfig;
      return phoenixTransport({
        sessions: state.longpolls,
        longpoll: longPollTimings(phoenixConfig),
        maxBody: phoenixConfig.maxMessageSize ?? DEFAULT_MAX_BODY,
        verify: bothVerify(options.verify, phoenixConfig.handshake?.verify),
      });
    },
    mock: options.mock,
  }) as unknown as Kit<Type, Config, M, PhoenixSocket>;
}

/** The Phoenix Channels kit: `server.phoenix()`, `server.mocks.add(phoenixKit, config)`, envelope `type: phoenix`. */
export const phoenixKit = definePhoenixKit<'phoenix', typeof phoenixSchema, PhoenixMock, PhoenixMockConfig>({
  type: 'phoenix',
  title: 'Phoenix',
  defaultPath: '/socket',
  schema: phoenixSchema,
  mock: PhoenixMock,
});

// Compile-time proof that the kit's config and the documented interface agree.
export type _PhoenixConfigAgrees = Assert<Same<keyof ConfigOfKit<typeof phoenixKit>, keyof PhoenixMockConfig>>;

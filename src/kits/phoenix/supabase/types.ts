import type { HandshakeHooks, KitEnvelopeOf, SubprotocolSelector, WebSocketEndpointFields } from '../../../kit/index.js';
import type { PhoenixLongPollConfig } from '../types.js';

/** The declarative fields of a Supabase Realtime mock: what config files and the admin API carry. */
export interface SupabaseMockFields extends WebSocketEndpointFields {
  /**
   * Joins Realtime would not simply accept, by channel name pattern (`*`
   * matches any text; the first pattern that matches wins): `manual` holds the
   * join for the test (`channel.ok()` answers as Realtime would,
   * `channel.error({ reason })` refuses), `unauthorized` refuses it as
   * Realtime refuses a private channel its RLS policies deny, `{ reason }`
   * refuses it with that reason. Every other join is accepted.
   */
  joins?: Record<string, SupabaseJoinRule>;
  /**
   * The largest broadcast or presence payload, in KB (Realtime's
   * `max_payload_size_in_kb`, default 3000): a larger broadcast is dropped
   * (answered `payload_size_exceeded` when the channel asked for `ack`), a
   * larger presence closes the channel ("Track message size exceeded").
   */
  maxPayloadKb?: number;
  /** Phoenix's long-poll transport at `{path}/longpoll`, which Realtime serves too: on (default), `false`, or other timings. */
  longpoll?: boolean | PhoenixLongPollConfig;
}

/** What {@link SupabaseMockFields.joins} does with the joins of a channel name pattern. */
export type SupabaseJoinRule =
  | 'manual'
  | 'unauthorized'
  | {
      /** The refusal's reason, as the client's `CHANNEL_ERROR` reports it. */
      reason: string;
    };

/** A Supabase Realtime mock as config files and the admin API write it. */
export type SupabaseEnvelope = KitEnvelopeOf<'supabase', SupabaseMockFields>;

/** What `server.supabase()` takes: the declarative fields, identity, and the in-process handshake hook. */
export interface SupabaseMockConfig extends Omit<SupabaseMockFields, 'subprotocols' | 'handshake'> {
  /** Subprotocols the mock accepts (default `phoenix`), or a function choosing one per handshake. */
  subprotocols?: string[] | SubprotocolSelector;
  /** Control of the upgrade, with the in-process `verify`. */
  handshake?: HandshakeHooks;
  /** Stable id (default: generated). Unique per server. */
  id?: string;
  /** Human-readable name. */
  name?: string;
  /** Default true. A disabled mock refuses handshakes with 503. */
  enabled?: boolean;
}

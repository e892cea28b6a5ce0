//
// What a protocol built on Phoenix Channels (Supabase Realtime) changes of
// the kit: how a join is answered, what a pushed event does, binary frames
// of its own kinds, and what happens when a channel is joined or ends. The
// kit runs the flavour's hooks first and falls back on the mock's `channels`.
//
import type { PhoenixChannel, PhoenixChannelInit } from './PhoenixChannel.js';
import type { PhoenixPush } from './PhoenixPush.js';
import type { PhoenixMessage } from './serializer.js';
import type { PhoenixJoinSpec } from './types.js';

/** The hooks of a flavour of the Phoenix kit; each is optional. */
export interface PhoenixFlavour {
  /** Makes the handle of a join (a subclass of PhoenixChannel with the flavour's own fields); default a PhoenixChannel. */
  channel?(init: PhoenixChannelInit): PhoenixChannel;
  /**
   * Decides a join before the mock's `channels`: a status and response to
   * answer with, `manual` to hold it for the test, or undefined to leave it
   * to the `channels` routes (and "unmatched topic" when none matches).
   */
  join?(channel: PhoenixChannel): PhoenixJoinSpec | undefined;
  /** A push on a channel, before the channel's `events`: true when the flavour handled it (replied, or means to). */
  push?(push: PhoenixPush, channel: PhoenixChannel): boolean;
  /** A binary frame whose kind Phoenix's serializer lacks: the message it holds, or undefined for a bad frame. */
  decodeBinary?(bytes: Buffer): PhoenixMessage | undefined;
  /** A channel was joined (its ok reply sent). */
  joined?(channel: PhoenixChannel): void;
  /** A joined channel ended: left, closed, crashed, or its connection closed. */
  ended?(channel: PhoenixChannel): void;
}

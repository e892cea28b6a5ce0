//
// The `channels` config compiled once per version: a channel name finds the
// first pattern that matches it (`*` matches any run of characters).
//
import type { PusherChannelSpec, PusherMember } from './types.js';

/** The channel rules of one version of a mock. */
export interface ChannelRules {
  /** The spec of the first pattern matching `channel`, if any. */
  rule(channel: string): PusherChannelSpec | undefined;
  /** The members `channels` puts on a presence channel (none for others). */
  preset(channel: string): readonly PusherMember[];
}

function patternOf(pattern: string): RegExp {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`);
}

/** Compiles the `channels` field (absent: no rules). */
export function compileChannels(channels: Record<string, PusherChannelSpec> | undefined): ChannelRules {
  const rules = Object.entries(channels ?? {}).map(([pattern, spec]) => ({ test: patternOf(pattern), spec }));
  const rule = (channel: string) => rules.find((r) => r.test.test(channel))?.spec;
  return {
    rule,
    preset: (channel) => (channel.startsWith('presence-') ? (rule(channel)?.members ?? []) : []),
  };
}

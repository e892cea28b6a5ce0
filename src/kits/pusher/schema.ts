//
// The Pusher mock's own fields: the declarative form (config files, the
// admin API) and the in-process `authorize` hook. The WebSocket endpoint
// fields are the seam's.
//
import { fn, positiveInt, z, type ConfigIssue } from '../../kit/index.js';
import type { PusherAuthorize, PusherMockConfig } from './types.js';

const member = z.strictObject({
  user_id: z.string({ error: 'is required: a non-empty string (a number in quotes)' }).min(1, 'must not be empty'),
  user_info: z.unknown().optional(),
});

const channelSpec = z.strictObject({
  refuse: z
    .union([z.boolean(), z.strictObject({ code: z.int().optional(), message: z.string().optional() })], { error: 'must be true, false or { code?: integer, message?: string }' })
    .optional(),
  members: z.array(member).optional(),
  replies: z
    .record(
      z.string(),
      z.strictObject({
        event: z.string().min(1, 'must be a non-empty event name'),
        data: z.unknown().optional(),
        to: z.enum(['sender', 'others', 'channel']).optional(),
      }),
    )
    .optional(),
});

/** The kit's declarative fields (beside the endpoint fields every WebSocket kit takes). */
export const pusherSchema = z.object({
  key: z.string({ error: 'is required: the app key clients connect with' }).regex(/^[^/?#\s]+$/, 'must be a non-empty string without "/", "?", "#" or white space'),
  secret: z.string().min(1, 'must not be empty (leave it out to accept any signature)').optional(),
  appId: z.string().min(1).optional(),
  cluster: z.string().min(1).optional(),
  activityTimeout: positiveInt('seconds').optional(),
  maxEventSize: positiveInt('bytes').optional(),
  clientEvents: z.boolean().optional(),
  channels: z.record(z.string().min(1, 'a channel pattern must not be empty'), channelSpec).optional(),
});

/** In-process, the auth endpoint can be decided by a function. */
export const pusherInProcess = {
  authorize: fn<PusherAuthorize>('authorize').optional(),
};

/** Rules across fields: members only on presence patterns, replies only on private and presence ones. */
export function pusherIssues(config: PusherMockConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const [pattern, spec] of Object.entries(config.channels ?? {})) {
    if (spec.members !== undefined && !pattern.startsWith('presence-')) {
      issues.push({ path: `channels.${pattern}.members`, message: 'is only for presence channels: the pattern must start with "presence-"' });
    }
    for (const event of Object.keys(spec.replies ?? {})) {
      if (!event.startsWith('client-')) issues.push({ path: `channels.${pattern}.replies.${event}`, message: 'must be a client event name, starting with "client-"' });
    }
    if (spec.replies !== undefined && !pattern.startsWith('presence-') && !pattern.startsWith('private-')) {
      issues.push({ path: `channels.${pattern}.replies`, message: 'needs a private or presence channel pattern ("private-…" or "presence-…"): only their members may trigger client events' });
    }
  }
  return issues;
}

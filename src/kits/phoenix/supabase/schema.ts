//
// The Supabase mock's own fields: Phoenix's (the long-poll transport) without
// `channels` (Realtime answers every `realtime:` topic itself), the joins
// the test holds or refuses, and Realtime's payload limit.
//
import { positiveInt, z } from '../../../kit/index.js';
import { phoenixSchema } from '../schema.js';

/** The declarative fields of a Supabase mock (beside the endpoint fields every WebSocket kit takes). */
export const supabaseSchema = phoenixSchema.omit({ channels: true }).extend({
  joins: z
    .record(
      z.string().min(1, 'a channel name pattern must not be empty'),
      z.union([z.literal('manual'), z.literal('unauthorized'), z.strictObject({ reason: z.string({ error: 'must be a string' }) })], {
        error: 'must be "manual", "unauthorized" or { reason }',
      }),
    )
    .optional(),
  maxPayloadKb: positiveInt('KB').optional(),
});

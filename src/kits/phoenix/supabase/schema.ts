//
// The Supabase mock's own fields: Phoenix's (the long-poll transport) without
// `channels` (Realtime answers every `realtime:` topic itself), and
// Realtime's payload limit.
//
import { positiveInt } from '../../../kit/index.js';
import { phoenixSchema } from '../schema.js';

/** The declarative fields of a Supabase mock (beside the endpoint fields every WebSocket kit takes). */
export const supabaseSchema = phoenixSchema.omit({ channels: true }).extend({
  maxPayloadKb: positiveInt('KB').optional(),
});

//
// The Supabase Realtime kit (`server.supabase()`, envelope `type: supabase`):
// the Phoenix kit with Realtime's flavour, at `/realtime/v1` as supabase-js
// reaches it (`createClient(url)` opens `{url}/realtime/v1/websocket`).
//
import type { ConfigOfKit, HandshakeRequest, HandshakeRefusal, Kit } from '../../../kit/index.js';
import type { Assert, Same } from '../../../util/typeChecks.js';
import { definePhoenixKit } from '../kit.js';
import type { PhoenixSocket } from '../PhoenixSocket.js';
import { supabaseFlavour } from './realtime.js';
import { supabaseSchema } from './schema.js';
import { SupabaseMock } from './SupabaseMock.js';
import type { SupabaseMockConfig } from './types.js';

/**
 * Realtime's socket refuses a client without an API key (the `apikey`
 * query parameter supabase-js sends, or an `x-api-key` header) with 401; any
 * key is accepted.
 */
function apiKeyCheck(request: HandshakeRequest): true | HandshakeRefusal {
  const key = request.headers['x-api-key'] ?? request.query.apikey;
  return typeof key === 'string' && key !== '' ? true : { status: 401, body: { error: 'API key is missing' } };
}

/** The Supabase Realtime kit: `server.supabase()`, `server.mocks.add(supabaseKit, config)`, envelope `type: supabase`. */
export const supabaseKit: Kit<'supabase', SupabaseMockConfig, SupabaseMock, PhoenixSocket> = definePhoenixKit({
  type: 'supabase',
  title: 'Supabase Realtime',
  defaultPath: '/realtime/v1',
  schema: supabaseSchema,
  inProcess: {},
  mock: SupabaseMock,
  verify: apiKeyCheck,
  flavour: (config: SupabaseMockConfig, state) => supabaseFlavour(config, state),
}) as unknown as Kit<'supabase', SupabaseMockConfig, SupabaseMock, PhoenixSocket>;

// Compile-time proof that the kit's config and the documented interface agree.
export type _SupabaseConfigAgrees = Assert<Same<keyof ConfigOfKit<typeof supabaseKit>, keyof SupabaseMockConfig>>;

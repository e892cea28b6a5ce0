//
// The built-in kits, in the order the docs list them. Every server has them
// (createMockServer passes this list before the user's `kits`), and the
// runner adapters register their matchers from the same list
// (adapters/kitMatchers.ts).
//
import type { Kit } from '../kit/Kit.js';
import { graphqlKit } from './graphql/kit.js';
import { jsonRpcKit } from './jsonrpc/kit.js';
import { phoenixKit } from './phoenix/kit.js';
import { pusherKit } from './pusher/kit.js';
import { socketIoKit } from './socketio/kit.js';
import { sseKit } from './sse/kit.js';
import { actionCableKit } from './actioncable/kit.js';
import { supabaseKit } from './phoenix/supabase/kit.js';
import { mqttKit } from './mqtt/kit.js';
import { stompKit } from './stomp/kit.js';
import { signalRKit } from './signalr/kit.js';

/** Every built-in kit. */
export const BUILTIN_KITS: readonly Kit[] = [socketIoKit as Kit, graphqlKit as Kit, jsonRpcKit as Kit, sseKit as Kit, pusherKit as Kit, actionCableKit as Kit, phoenixKit as Kit, supabaseKit as Kit, mqttKit as Kit, stompKit as Kit, signalRKit as Kit];

export { actionCableKit, graphqlKit, jsonRpcKit, phoenixKit, pusherKit, socketIoKit, sseKit, supabaseKit };
export { mqttKit };
export { stompKit };
export { signalRKit };

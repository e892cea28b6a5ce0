//
// The built-in kits, in the order the docs list them. Every server has them
// (createMockServer passes this list before the user's `kits`), and the
// runner adapters register their matchers from the same list
// (adapters/kitMatchers.ts).
//
import { kitOfKind } from '../kit/kind.js';
import type { Kit } from '../kit/Kit.js';
import { graphqlKit } from './graphql/kit.js';
import { jsonRpcKind } from './jsonrpc/JsonRpcMock.js';
import { socketIoKit } from './socketio/kit.js';
import { sseKind } from './sse/SseMock.js';

export { graphqlKit, socketIoKit };
/** The JSON-RPC 2.0 kit (`server.jsonrpc()`). */
export const jsonRpcKit: Kit = kitOfKind(jsonRpcKind);
/** The Server-Sent Events kit (`server.sse()`). */
export const sseKit: Kit = kitOfKind(sseKind);

/** Every built-in kit. */
export const BUILTIN_KITS: readonly Kit[] = [socketIoKit, graphqlKit, jsonRpcKit, sseKit];

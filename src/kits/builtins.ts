//
// The built-in kits, in the order the docs list them. Every server has them
// (createMockServer passes this list before the user's `kits`), and the
// runner adapters register their matchers from the same list
// (adapters/kitMatchers.ts).
//
import { kitOfKind } from '../kit/kind.js';
import type { Kit } from '../kit/Kit.js';
import { graphqlKind } from './graphql/GraphQLMock.js';
import { jsonRpcKit } from './jsonrpc/kit.js';
import { socketIoKind } from './socketio/SocketIoMock.js';
import { sseKit } from './sse/kit.js';

/** The Socket.IO kit (`server.socketio()`). */
export const socketIoKit: Kit = kitOfKind(socketIoKind);
/** The GraphQL over WebSocket kit (`server.graphql()`). */
export const graphqlKit: Kit = kitOfKind(graphqlKind);

/** Every built-in kit. */
export const BUILTIN_KITS: readonly Kit[] = [socketIoKit, graphqlKit, jsonRpcKit as Kit, sseKit as Kit];

export { jsonRpcKit, sseKit };

//
// Every mock type the server knows, by envelope `type`. A protocol kit adds
// its kind here; config files, the admin API and `server.mocks.define()`
// then accept its envelope.
//
import type { Mock, MockConfigBase, MockKind } from './Mock.js';
import type { MockType } from './types.js';
import { websocketKind } from './WebSocketMock.js';
import { socketIoKind } from '../kits/socketio/SocketIoMock.js';
import { graphqlKind } from '../kits/graphql/GraphQLMock.js';
import { jsonRpcKind } from '../kits/jsonrpc/JsonRpcMock.js';
import { sseKind } from '../kits/sse/SseMock.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyKind = MockKind<any, Mock<any>, any>;

/** The kinds, in the order the docs list them. */
export const MOCK_KINDS: readonly AnyKind[] = [websocketKind, socketIoKind, graphqlKind, jsonRpcKind, sseKind];

/** The kind of envelope `type`, or undefined for an unknown one. */
export function kindOf(type: MockType | string): MockKind<MockConfigBase, Mock, unknown> | undefined {
  return MOCK_KINDS.find((kind) => kind.type === type);
}

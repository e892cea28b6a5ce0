import type { Connection } from '../connections/Connection.js';
import type { WebSocketMock } from '../mocks/WebSocketMock.js';
import type { GraphQLOperation } from '../kits/graphql/GraphQLOperation.js';
import type { JsonRpcConnection } from '../kits/jsonrpc/JsonRpcConnection.js';
import type { JsonRpcMock } from '../kits/jsonrpc/JsonRpcMock.js';
import type { SocketIoSocket } from '../kits/socketio/SocketIoSocket.js';
import type { MockServer } from '../server/MockServer.js';
import { hasBrand, isRemoteHandle, kMatcherView } from '../util/brand.js';
import type { MatcherContext } from './context.js';

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object' && typeof value !== 'function') return `${typeof value} ${String(value)}`;
  if (typeof (value as { then?: unknown }).then === 'function') return 'a Promise (did you forget to await it?)';
  const name = (value as object).constructor?.name;
  return name && name !== 'Object' ? `a ${name}` : typeof value === 'function' ? 'a function' : 'a plain object';
}

/**
 * The error a matcher throws when its subject is not what it works on. It is
 * thrown, not returned as a failed result, so that `.not` cannot turn a
 * misuse into a pass.
 */
function wrongSubject(ctx: MatcherContext, matcher: string, wanted: string, value: unknown): Error {
  const hint = ctx.utils.matcherHint(matcher, 'received', '', { isNot: ctx.isNot, promise: ctx.promise ?? '' });
  return new Error(`${hint}\n\n${matcher}() works on ${wanted}.\nReceived: ${describeValue(value)}`);
}

/** Asserts that the subject is a wsmock Connection, in-process or remote (from `connectMockServer()`). */
export function assertConnection(ctx: MatcherContext, matcher: string, value: unknown): asserts value is Connection {
  // A remote connection reads like one: its journal (as read up to now), its waits, its close.
  if (!hasBrand(value, 'connection') && !hasBrand(value, 'remote-connection')) {
    throw wrongSubject(ctx, matcher, 'a wsmock Connection (from mock.waitForConnection())', value);
  }
}

/** Asserts that the subject is a wsmock WebSocketMock or MockServer. */
export function assertMockOrServer(ctx: MatcherContext, matcher: string, value: unknown): asserts value is WebSocketMock | MockServer {
  if (!hasBrand(value, 'mock') && !hasBrand(value, 'server')) {
    throw wrongSubject(ctx, matcher, 'a wsmock WebSocketMock (from server.websocket()) or MockServer', value);
  }
}

/** Asserts that the subject is a GraphQL operation handle. */
export function assertOperation(ctx: MatcherContext, matcher: string, value: unknown): asserts value is GraphQLOperation {
  if (!hasBrand(value, 'graphql-operation')) {
    throw wrongSubject(ctx, matcher, 'a wsmock GraphQLOperation (from graphqlMock.waitForOperation())', value);
  }
}

/** Asserts that the subject is a Socket.IO socket handle. */
export function assertSocket(ctx: MatcherContext, matcher: string, value: unknown): asserts value is SocketIoSocket {
  if (!hasBrand(value, 'socketio-socket')) {
    throw wrongSubject(ctx, matcher, 'a wsmock Socket.IO socket (from io.waitForConnection())', value);
  }
}

/** Asserts that the subject is a JSON-RPC connection handle or a JSON-RPC mock. */
export function assertCallSubject(ctx: MatcherContext, matcher: string, value: unknown): asserts value is JsonRpcConnection | JsonRpcMock {
  const isMock = hasBrand(value, 'mock') && (value as { type?: unknown }).type === 'jsonrpc';
  if (!hasBrand(value, 'jsonrpc-connection') && !isMock) {
    throw wrongSubject(ctx, matcher, 'a JSON-RPC connection (from jsonRpcMock.waitForConnection()) or a JSON-RPC mock (from server.jsonrpc())', value);
  }
}

/**
 * The matcher `matcher` with remote handles (from `connectMockServer()`)
 * accepted as subjects: each is first read from its server, and the matcher
 * runs on what it resolves with. A matcher that is synchronous in-process is
 * asynchronous on a remote handle (`await expect(remoteConn).toHaveReceivedMessages(…)`).
 */
export function withRemoteSubject<F extends (this: MatcherContext, received: unknown, ...rest: never[]) => unknown>(matcher: F): F {
  return function (this: MatcherContext, received: unknown, ...rest: never[]) {
    if (!isRemoteHandle(received)) return matcher.call(this, received, ...rest);
    return received[kMatcherView]().then((view) => matcher.call(this, view, ...rest));
  } as F;
}

//
// The JSON-RPC 2.0 kit on the seam: its fields, its state across versions
// (sessions, handles, the mock-wide calls), its one stage and its handle.
// The WebSocket endpoint (path, subprotocols, limits, handshake, heartbeat)
// and everything else every mock has come from the seam.
//
import { defineKit, type ConfigOfKit, type Kit } from '../../kit/index.js';
import type { Assert, Same } from '../../util/typeChecks.js';
import { JsonRpcMock } from './JsonRpcMock.js';
import { compileMethods } from './methods.js';
import { jsonRpcInProcess, jsonRpcSchema } from './schema.js';
import { jsonRpcStage } from './stage.js';
import { JsonRpcState } from './state.js';
import type { JsonRpcConnection } from './JsonRpcConnection.js';
import type { JsonRpcMockConfig } from './types.js';

/** The JSON-RPC 2.0 kit: `server.jsonrpc()`, envelope `type: jsonrpc`. */
export const jsonRpcKit: Kit<'jsonrpc', JsonRpcMockConfig, JsonRpcMock, JsonRpcConnection> = defineKit({
  type: 'jsonrpc',
  title: 'JSON-RPC',
  defaultPath: '/rpc',
  schema: jsonRpcSchema,
  inProcess: jsonRpcInProcess,
  state: ({ group }) => new JsonRpcState(group),
  stages: ({ config, state, host }) => [
    jsonRpcStage({ methods: compileMethods(config.methods), unknownMethods: config.unknownMethods ?? 'error', state, host }),
  ],
  mock: JsonRpcMock,
});

// Compile-time proof that the kit's config and the documented interface agree.
export type _JsonRpcConfigAgrees = Assert<Same<keyof ConfigOfKit<typeof jsonRpcKit>, keyof JsonRpcMockConfig>>;

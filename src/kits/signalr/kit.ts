//
// The SignalR kit on the seam: its fields, its state across versions
// (sessions, groups, negotiated tokens, invocations to wait for), its one
// stage, its negotiate endpoint under the mock's path, and its handle. The
// WebSocket endpoint and everything else every mock has come from the seam.
//
import { defineKit, type ConfigOfKit, type Kit } from '../../kit/index.js';
import type { Assert, Same } from '../../util/typeChecks.js';
import { signalRTransport } from './http.js';
import { compileMethods } from './methods.js';
import { signalRInProcess, signalRSchema } from './schema.js';
import type { SignalRConnection } from './SignalRConnection.js';
import { SignalRMock } from './SignalRMock.js';
import { signalRStage } from './stage.js';
import { SignalRState } from './state.js';
import type { SignalRMockConfig } from './types.js';

/** The seam's frame limit when the config names none: also the largest long-polling POST. */
const DEFAULT_MAX_BODY = 1024 * 1024;

/** The SignalR kit: `server.signalr()`, `server.mocks.add(signalRKit, config)`, envelope `type: signalr`. */
export const signalRKit: Kit<'signalr', SignalRMockConfig, SignalRMock, SignalRConnection> = defineKit({
  type: 'signalr',
  title: 'SignalR',
  defaultPath: '/hub',
  schema: signalRSchema,
  inProcess: signalRInProcess,
  subpaths: ['negotiate'],
  state: ({ group }) => new SignalRState(group),
  stages: ({ config, state, host }) => [signalRStage({ config: config as SignalRMockConfig, methods: compileMethods((config as SignalRMockConfig).methods), state, host })],
  transport: ({ config, state }) => {
    const hub = config as SignalRMockConfig;
    return signalRTransport({ state, transports: hub.transports ?? ['WebSockets', 'LongPolling'], maxBody: hub.maxMessageSize ?? DEFAULT_MAX_BODY, verify: hub.handshake?.verify });
  },
  mock: SignalRMock,
});

// Compile-time proof that the kit's config and the documented interface agree.
export type _SignalRConfigAgrees = Assert<Same<keyof ConfigOfKit<typeof signalRKit>, keyof SignalRMockConfig>>;

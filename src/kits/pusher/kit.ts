//
// The Pusher Channels kit (protocol 7) on the seam: its fields, its state
// across versions (sessions, channel subscribers, subscriptions and client
// events to wait for), its one stage, its auth endpoint on the mock's own
// path, and its handle. The WebSocket endpoint and everything else every
// mock has come from the seam.
//
import { defineKit, type ConfigOfKit, type Kit } from '../../kit/index.js';
import type { Assert, Same } from '../../util/typeChecks.js';
import { compileChannels } from './channels.js';
import { pusherTransport } from './http.js';
import { PusherMock } from './PusherMock.js';
import type { PusherConnection } from './PusherConnection.js';
import { pusherInProcess, pusherIssues, pusherSchema } from './schema.js';
import { pusherStage } from './stage.js';
import { PusherState } from './state.js';
import type { PusherMockConfig } from './types.js';

/** The Pusher Channels kit: `server.mocks.add(pusherKit, { key })`, envelope `type: pusher`. */
export const pusherKit: Kit<'pusher', PusherMockConfig, PusherMock, PusherConnection> = defineKit({
  type: 'pusher',
  title: 'Pusher',
  defaultPath: '/app/:key',
  schema: pusherSchema,
  inProcess: pusherInProcess,
  validate: pusherIssues,
  state: ({ group }) => new PusherState(group),
  stages: ({ config, state, host }) => [pusherStage({ config, rules: compileChannels(config.channels), state, host })],
  transport: ({ config }) => pusherTransport(config, compileChannels(config.channels)),
  mock: PusherMock,
});

// Compile-time proof that the kit's config and the documented interface agree.
export type _PusherConfigAgrees = Assert<Same<keyof ConfigOfKit<typeof pusherKit>, keyof PusherMockConfig>>;

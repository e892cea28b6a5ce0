//
// The ActionCable kit on the seam: its fields, its state across versions
// (sessions, handles, subscriptions, the stream index), its one stage and its
// handle. The WebSocket endpoint (path, subprotocols, limits, handshake) and
// everything else every mock has come from the seam.
//
import { defineKit, type ConfigOfKit, type Kit } from '../../kit/index.js';
import { parseDuration } from '../../util/duration.js';
import type { Assert, Same } from '../../util/typeChecks.js';
import type { ActionCableConnection } from './ActionCableConnection.js';
import { ActionCableMock } from './ActionCableMock.js';
import { compileChannels } from './channels.js';
import { ACTIONCABLE_SUBPROTOCOLS } from './protocol.js';
import { actionCableInProcess, actionCableSchema } from './schema.js';
import { actionCableStage } from './stage.js';
import { ActionCableState } from './state.js';
import type { ActionCableMockConfig } from './types.js';

/** Rails' `BEAT_INTERVAL`: the server pings every connection every 3 seconds. */
const PING_INTERVAL = 3000;

/** The ActionCable kit: `server.actioncable()`, envelope `type: actioncable`. */
export const actionCableKit: Kit<'actioncable', ActionCableMockConfig, ActionCableMock, ActionCableConnection> = defineKit({
  type: 'actioncable',
  title: 'ActionCable',
  defaultPath: '/cable',
  schema: actionCableSchema,
  inProcess: actionCableInProcess,
  subprotocols: ACTIONCABLE_SUBPROTOCOLS,
  state: ({ group }) => new ActionCableState(group),
  stages: ({ config, state, host }) => [
    actionCableStage({ channel: compileChannels(config.channels as ActionCableMockConfig['channels']), pingInterval: parseDuration(config.pingInterval) ?? PING_INTERVAL, state, host }),
  ],
  mock: ActionCableMock,
});

// Compile-time proof that the kit's config and the documented interface agree.
export type _ActionCableConfigAgrees = Assert<Same<keyof ConfigOfKit<typeof actionCableKit>, keyof ActionCableMockConfig>>;

//
// The Socket.IO kit (`server.socketio()`, envelope `type: socketio`), written
// on the public seam: Engine.IO v4 is its transport (long-polling and
// WebSocket on the mock's path), the Socket.IO layer its one stage. It takes
// none of the WebSocket endpoint fields: `maxPayload` is its frame limit.
//
import { defineKit, type Kit } from '../../kit/index.js';
import { parseDuration } from '../../util/duration.js';
import { socketIoEnvelopeFields, socketIoInProcess, socketIoSchema, type SocketIoMockConfig, type SocketIoNamespaceConfig } from './config.js';
import { engineTransport } from './engineServer.js';
import type { EngineSettings } from './EngineSession.js';
import { ioStage, type CompiledNamespace } from './ioStage.js';
import { RecoveryLog } from './recovery.js';
import { SocketIoMock } from './SocketIoMock.js';
import type { SocketIoSocket } from './SocketIoSocket.js';
import { socketIoState, type SocketIoState } from './state.js';

/** Where socket.io-client looks by default. */
export const DEFAULT_SOCKETIO_PATH = '/socket.io/';

/** The real server's defaults. */
const DEFAULT_PING_INTERVAL = 25_000;
const DEFAULT_PING_TIMEOUT = 20_000;
const DEFAULT_CONNECT_TIMEOUT = 45_000;
const DEFAULT_MAX_PAYLOAD = 1_000_000;
const DEFAULT_MAX_DISCONNECTION_DURATION = 2 * 60_000;

function engineSettings(config: SocketIoMockConfig): EngineSettings {
  return {
    pingInterval: parseDuration(config.pingInterval) ?? DEFAULT_PING_INTERVAL,
    pingTimeout: parseDuration(config.pingTimeout) ?? DEFAULT_PING_TIMEOUT,
    maxPayload: config.maxPayload ?? DEFAULT_MAX_PAYLOAD,
  };
}

function compileNamespace(...parts: (SocketIoNamespaceConfig | undefined)[]): CompiledNamespace {
  const events = new Map<string, NonNullable<SocketIoNamespaceConfig['events']>[string]>();
  let refuse: CompiledNamespace['refuse'];
  let connect: CompiledNamespace['connect'];
  for (const part of parts) {
    if (!part) continue;
    for (const [name, handler] of Object.entries(part.events ?? {})) events.set(name, handler);
    refuse = part.refuse ?? refuse;
    connect = part.connect ?? connect;
  }
  return { events, refuse, connect };
}

function compileNamespaces(config: SocketIoMockConfig): Map<string, CompiledNamespace> {
  const namespaces = new Map<string, CompiledNamespace>();
  const main = { ...(config.events ? { events: config.events } : {}), ...(config.refuse ? { refuse: config.refuse } : {}), ...(config.connect ? { connect: config.connect } : {}) };
  namespaces.set('/', compileNamespace(main, config.namespaces?.['/']));
  for (const [name, namespace] of Object.entries(config.namespaces ?? {})) {
    if (name !== '/') namespaces.set(name, compileNamespace(namespace));
  }
  return namespaces;
}

/**
 * Applies a version's `connectionStateRecovery` to the mock's state. The log
 * outlives versions that keep recovery on: a client dropped by an update
 * comes back recovered.
 */
function applyRecovery(config: SocketIoMockConfig, state: SocketIoState): void {
  const recovery = config.connectionStateRecovery;
  if (!recovery) {
    state.recovery = undefined;
    return;
  }
  const settings = {
    maxDisconnectionDuration: parseDuration(recovery.maxDisconnectionDuration) ?? DEFAULT_MAX_DISCONNECTION_DURATION,
    skipMiddlewares: recovery.skipMiddlewares ?? true,
  };
  if (state.recovery) state.recovery.settings = settings;
  else state.recovery = new RecoveryLog(settings);
}

/** The Socket.IO kit: `server.socketio()`, `server.mocks.add(socketIoKit, config)`, envelope `type: socketio`. */
export const socketIoKit: Kit<'socketio', SocketIoMockConfig, SocketIoMock, SocketIoSocket> = defineKit({
  type: 'socketio',
  title: 'Socket.IO',
  defaultPath: DEFAULT_SOCKETIO_PATH,
  schema: socketIoSchema,
  inProcess: socketIoInProcess,
  endpoint: false,
  maxPayload: (config) => config.maxPayload ?? DEFAULT_MAX_PAYLOAD,
  state: ({ group }) => socketIoState(group),
  stages({ config, state, host }) {
    // Each version's stage is made once, when the version is compiled: its recovery setting starts then.
    applyRecovery(config, state);
    return [ioStage(compileNamespaces(config), parseDuration(config.connectTimeout) ?? DEFAULT_CONNECT_TIMEOUT, state, host)];
  },
  transport: ({ config, state }) => engineTransport(state.sessions, engineSettings(config)),
  fields: socketIoEnvelopeFields,
  mock: SocketIoMock,
});

//
// The MQTT kit on the seam: its fields, its broker kept across versions
// (sessions, subscriptions, retained store, handles), its one stage and its
// handle. The WebSocket endpoint (path, subprotocols, limits, handshake) and
// everything else every mock has come from the seam.
//
import { defineKit, type ConfigOfKit, type Kit } from '../../kit/index.js';
import type { Assert, Same } from '../../util/typeChecks.js';
import type { MqttConnection } from './MqttConnection.js';
import { MqttMock } from './MqttMock.js';
import { MQTT_SUBPROTOCOLS } from './protocol.js';
import { compileTopics } from './replies.js';
import { RetainedStore } from './RetainedStore.js';
import { mqttInProcess, mqttSchema } from './schema.js';
import { mqttStage } from './stage.js';
import { MqttState } from './state.js';
import type { MqttAuthFunction, MqttAuthSpec, MqttMockConfig } from './types.js';

/** The default `maximumPacketSize`: 1 MiB. */
const MAXIMUM_PACKET_SIZE = 1024 * 1024;

/** `auth` as the function the stage calls. */
function authOf(auth: MqttMockConfig['auth']): MqttAuthFunction | undefined {
  if (auth === undefined || typeof auth === 'function') return auth;
  const { users } = auth as MqttAuthSpec;
  return (username, password) => username !== undefined && Object.hasOwn(users, username) && users[username] === password;
}

/** The MQTT kit: `server.mqtt()`, envelope `type: mqtt`. */
export const mqttKit: Kit<'mqtt', MqttMockConfig, MqttMock, MqttConnection> = defineKit({
  type: 'mqtt',
  title: 'MQTT',
  defaultPath: '/mqtt',
  schema: mqttSchema,
  inProcess: mqttInProcess,
  subprotocols: MQTT_SUBPROTOCOLS,
  state: ({ group }) => new MqttState(group),
  stages: ({ config, state, host }) => {
    const broker = state as MqttState;
    broker.maxQueued = config.maxQueued ?? 1000;
    // A version's `retained` seeds the store; what clients retained since stays.
    const store = new RetainedStore(broker.retained);
    for (const [topic, spec] of Object.entries(config.retained ?? {})) store.setSpec(topic, spec as never);
    return [
      mqttStage({
        state: broker,
        host,
        auth: authOf(config.auth as MqttMockConfig['auth']),
        topics: compileTopics(config.topics as MqttMockConfig['topics']),
        maximumPacketSize: config.maximumPacketSize ?? MAXIMUM_PACKET_SIZE,
      }),
    ];
  },
  mock: MqttMock,
});

// Compile-time proof that the kit's config and the documented interface agree.
export type _MqttConfigAgrees = Assert<Same<keyof ConfigOfKit<typeof mqttKit>, keyof MqttMockConfig>>;

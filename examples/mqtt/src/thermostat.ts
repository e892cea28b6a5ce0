// A home dashboard's MQTT side, as a browser app would have it: it connects to
// the broker over WebSocket, shows each room's temperature (retained readings
// arrive first), sends set-points at QoS 1, and leaves a retained will so the
// house knows when the dashboard drops off.
import mqtt, { type MqttClient } from 'mqtt';

export interface Dashboard {
  /** The latest temperature of each room. */
  readonly temperatures: Map<string, number>;
  /** Calls `listener` with each reading, as it arrives. */
  onReading(listener: (room: string, celsius: number) => void): void;
  /** Asks a room's thermostat for a temperature (QoS 1: the broker acknowledges it). */
  setPoint(room: string, celsius: number): Promise<void>;
  /** Says goodbye (status offline) and disconnects. */
  close(): Promise<void>;
  readonly client: MqttClient;
}

export async function openDashboard(url: string, id: string): Promise<Dashboard> {
  const status = `dashboards/${id}/status`;
  const client = await mqtt.connectAsync(url, {
    protocolVersion: 5,
    clientId: id,
    reconnectPeriod: 100,
    will: { topic: status, payload: Buffer.from('offline'), qos: 1, retain: true },
  });
  const temperatures = new Map<string, number>();
  const listeners: ((room: string, celsius: number) => void)[] = [];
  client.on('message', (topic, payload) => {
    const room = /^home\/([^/]+)\/temperature$/.exec(topic)?.[1];
    if (!room) return;
    const celsius = Number(payload.toString());
    temperatures.set(room, celsius);
    for (const listener of listeners) listener(room, celsius);
  });
  // Subscribe again after every reconnect: the broker may have lost the session.
  client.on('connect', () => void client.subscribeAsync('home/+/temperature', { qos: 1 }).catch(() => {}));
  await client.subscribeAsync('home/+/temperature', { qos: 1 });
  await client.publishAsync(status, 'online', { qos: 1, retain: true });
  return {
    temperatures,
    client,
    onReading: (listener) => void listeners.push(listener),
    setPoint: async (room, celsius) => {
      await client.publishAsync(`home/${room}/setpoint`, JSON.stringify({ celsius }), { qos: 1 });
    },
    close: async () => {
      await client.publishAsync(status, 'offline', { qos: 1, retain: true });
      await client.endAsync();
    },
  };
}

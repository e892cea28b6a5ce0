//
// MQTT clients for the MQTT kit's tests: the real mqtt.js 5 client over
// ws:// (reconnection off unless asked, every client ended after each test),
// a recorder of what a client receives with event-driven waits, and a raw
// client (the shared TestClient, offering `mqtt`) that writes packets made
// with mqtt-packet and reads the broker's answers, for the bad-input tests.
//
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import mqttPacket, { type Packet } from 'mqtt-packet';
import { afterEach } from 'vitest';
import { connect, type TestClient } from './client.js';

const clients = new Set<MqttClient>();

/** A real mqtt.js client connected to `url` (MQTT 5 unless `protocolVersion` says; no reconnection unless `reconnectPeriod`). */
export async function mqttClient(url: string, options: IClientOptions = {}): Promise<MqttClient> {
  const client = mqtt.connect(url, { protocolVersion: 5, reconnectPeriod: 0, connectTimeout: 5000, ...options });
  clients.add(client);
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
    client.once('close', () => reject(new Error(`${url}: closed before CONNACK`)));
  });
  return client;
}

/** The same, without waiting for CONNACK (a refused connect, a reconnecting client). */
export function startMqttClient(url: string, options: IClientOptions = {}): MqttClient {
  const client = mqtt.connect(url, { protocolVersion: 5, reconnectPeriod: 0, connectTimeout: 5000, ...options });
  clients.add(client);
  client.on('error', () => {});
  return client;
}

afterEach(async () => {
  await Promise.all([...clients].map((client) => client.endAsync(true).catch(() => {})));
  clients.clear();
});

/** A message a client received. */
export interface Received {
  topic: string;
  text: string;
  packet: mqttPacket.IPublishPacket;
}

/** Records what `client` receives; `next(topic?)` resolves with the next one not yet read (matching `topic` exactly). */
export function inbox(client: MqttClient) {
  const all: Received[] = [];
  const taken = new Set<Received>();
  const waiting: (() => void)[] = [];
  client.on('message', (topic, payload, packet) => {
    all.push({ topic, text: payload.toString('utf8'), packet });
    for (const wake of waiting.splice(0)) wake();
  });
  return {
    all,
    next(topic?: string): Promise<Received> {
      return new Promise((resolve) => {
        const look = () => {
          const found = all.find((m) => !taken.has(m) && (topic === undefined || m.topic === topic));
          if (!found) return void waiting.push(look);
          taken.add(found);
          resolve(found);
        };
        look();
      });
    },
  };
}

/** Resolves once `client` emits `event` (e.g. `close`, `disconnect`). */
export function once<T = unknown>(client: MqttClient, event: string): Promise<T> {
  return new Promise((resolve) => client.once(event as 'close', ((value: T) => resolve(value)) as never));
}

/** A raw WebSocket client offering `mqtt`, writing packets from mqtt-packet and parsing the broker's answers. */
export class RawMqtt {
  readonly client: TestClient;
  readonly version: 3 | 4 | 5;
  readonly #parser: mqttPacket.Parser;
  readonly #packets: Packet[] = [];
  #cursor = 0;
  #wake: (() => void) | undefined;

  constructor(client: TestClient, version: 3 | 4 | 5) {
    this.client = client;
    this.version = version;
    this.#parser = mqttPacket.parser({ protocolVersion: version });
    this.#parser.on('packet', (packet: Packet) => {
      this.#packets.push(packet);
      const wake = this.#wake;
      this.#wake = undefined;
      wake?.();
    });
    client.ws.on('message', (data: Buffer) => this.#parser.parse(data));
  }

  /** Sends bytes as one binary frame. */
  sendBytes(bytes: Buffer): Promise<void> {
    return this.client.send(bytes, { binary: true });
  }

  /** Sends a packet, encoded for this client's version. */
  send(packet: Packet): Promise<void> {
    return this.sendBytes(mqttPacket.generate(packet, { protocolVersion: this.version }));
  }

  /** CONNECT, then the CONNACK. */
  async connect(fields: Partial<mqttPacket.IConnectPacket> = {}): Promise<Packet> {
    await this.send({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: this.version, clientId: 'raw', clean: true, keepalive: 0, ...fields } as Packet);
    return this.packet();
  }

  /** The next packet from the broker. */
  packet(): Promise<Packet> {
    return new Promise((resolve, reject) => {
      const look = () => {
        if (this.#cursor < this.#packets.length) return resolve(this.#packets[this.#cursor++]!);
        if (!this.client.isOpen) return reject(new Error('closed while a packet was awaited'));
        this.#wake = look;
      };
      look();
      void this.client.closed.then(() => {
        if (this.#wake !== look) return;
        this.#wake = undefined;
        look();
      });
    });
  }
}

/** A raw client connected to `url`, offering `mqtt`. */
export async function rawMqtt(url: string, version: 3 | 4 | 5 = 5): Promise<RawMqtt> {
  return new RawMqtt(await connect(url, { protocols: 'mqtt' }), version);
}

export { mqtt, mqttPacket };

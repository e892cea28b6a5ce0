import type { IncomingMessage } from 'node:http';
import { WebSocketServer } from 'ws';
import type { MockRuntime } from '../internal.js';
import { compilePipeline, type PipelineHost } from '../pipeline/pipeline.js';
import { compilePath, type PathPattern } from './router.js';
import { parseDuration } from '../util/duration.js';
import type { WebSocketMockConfig } from './types.js';

/** Default largest frame: 1 MiB. */
export const DEFAULT_MAX_MESSAGE_SIZE = 1024 * 1024;
const DEFAULT_HEARTBEAT_INTERVAL = 30_000;
const DEFAULT_HEARTBEAT_TIMEOUT = 10_000;

/** Everything the upgrade path needs from one version of a mock. */
export interface CompiledMock {
  readonly runtime: MockRuntime;
  readonly pattern: PathPattern;
  /** Performs upgrades with this mock's frame limit and subprotocol choice. */
  readonly wss: WebSocketServer;
  readonly subprotocols: readonly string[];
  readonly requireSubprotocol: boolean;
  readonly maxConnections: number;
  readonly handshake: {
    status: number | undefined;
    headers: Record<string, string>;
    body: unknown;
    delay: number;
  };
}

/** The subprotocol chosen for a request during routing, read back by ws's handleProtocols. */
export const chosenProtocol = new WeakMap<IncomingMessage, string>();

/** Compiles a validated config. Durations become milliseconds, defaults are filled in. */
export function compileMock(id: string, config: WebSocketMockConfig, host: PipelineHost): CompiledMock {
  const heartbeat =
    config.heartbeat && config.heartbeat.enabled !== false
      ? {
          interval: parseDuration(config.heartbeat.interval) ?? DEFAULT_HEARTBEAT_INTERVAL,
          timeout: parseDuration(config.heartbeat.timeout) ?? DEFAULT_HEARTBEAT_TIMEOUT,
        }
      : undefined;
  const handshakeHeaders = config.handshake?.headers ?? {};
  const wss = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    perMessageDeflate: false,
    maxPayload: config.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE,
    handleProtocols: (_offered, request) => chosenProtocol.get(request) ?? false,
  });
  if (Object.keys(handshakeHeaders).length > 0) {
    wss.on('headers', (headers) => {
      for (const [name, value] of Object.entries(handshakeHeaders)) headers.push(`${name}: ${value}`);
    });
  }
  return {
    runtime: {
      id,
      path: config.path,
      idleTimeout: parseDuration(config.idleTimeout),
      heartbeat,
      pipeline: compilePipeline(config, host),
    },
    pattern: compilePath(config.path),
    wss,
    subprotocols: config.subprotocols ?? [],
    requireSubprotocol: config.requireSubprotocol ?? false,
    maxConnections: config.maxConnections ?? Number.POSITIVE_INFINITY,
    handshake: {
      status: config.handshake?.status,
      headers: handshakeHeaders,
      body: config.handshake?.body,
      delay: parseDuration(config.handshake?.delay) ?? 0,
    },
  };
}

import type { ConnectionMock } from '../connections/Connection.js';
import { compilePipeline, type PipelineHost } from '../pipeline/pipeline.js';
import { parseDuration } from '../util/duration.js';
import { compilePath, type PathPattern } from './router.js';
import type { HandshakeVerifier, SubprotocolSelector, WebSocketMockConfig } from './types.js';

/** Default largest frame: 1 MiB. */
export const DEFAULT_MAX_MESSAGE_SIZE = 1024 * 1024;
const DEFAULT_HEARTBEAT_INTERVAL = 30_000;
const DEFAULT_HEARTBEAT_TIMEOUT = 10_000;

/** Everything the upgrade path and the connections need from one version of a mock. */
export interface CompiledMock {
  /** What each connection accepted by this version runs. */
  readonly runtime: ConnectionMock;
  readonly pattern: PathPattern;
  /** The largest frame, bytes. */
  readonly maxPayload: number;
  /** The accepted subprotocols, or the in-process function choosing one per handshake. */
  readonly subprotocols: readonly string[] | SubprotocolSelector;
  readonly requireSubprotocol: boolean;
  readonly maxConnections: number;
  readonly handshake: {
    status: number | undefined;
    headers: Record<string, string>;
    body: unknown;
    delay: number;
    /** In-process: decides per handshake. */
    verify: HandshakeVerifier | undefined;
  };
}

/** Compiles a validated config. Durations become milliseconds, defaults are filled in. */
export function compileMock(id: string, config: WebSocketMockConfig, host: PipelineHost): CompiledMock {
  const heartbeat =
    config.heartbeat && config.heartbeat.enabled !== false
      ? {
          interval: parseDuration(config.heartbeat.interval) ?? DEFAULT_HEARTBEAT_INTERVAL,
          timeout: parseDuration(config.heartbeat.timeout) ?? DEFAULT_HEARTBEAT_TIMEOUT,
        }
      : undefined;
  return {
    runtime: {
      id,
      path: config.path,
      idleTimeout: parseDuration(config.idleTimeout),
      heartbeat,
      pipeline: compilePipeline(config, host),
    },
    pattern: compilePath(config.path),
    maxPayload: config.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE,
    subprotocols: config.subprotocols ?? [],
    requireSubprotocol: config.requireSubprotocol ?? false,
    maxConnections: config.maxConnections ?? Number.POSITIVE_INFINITY,
    handshake: {
      status: config.handshake?.status,
      headers: config.handshake?.headers ?? {},
      body: config.handshake?.body,
      delay: parseDuration(config.handshake?.delay) ?? 0,
      verify: config.handshake?.verify,
    },
  };
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Connection, ConnectionFactory } from '../connections/Connection.js';
import type { ConnectionMock, ConnectionPipeline } from '../connections/contracts.js';
import type { Transport } from '../transport/types.js';
import { compilePipeline, type PipelineHost } from '../pipeline/pipeline.js';
import { parseDuration } from '../util/duration.js';
import { compilePath, type PathPattern } from './router.js';
import type { HandshakeHooks, HandshakeVerifier, HeartbeatConfig, SubprotocolSelector, WebSocketMockConfig } from './types.js';
import type { Duration } from '../util/duration.js';
import type { ChaosOptions } from '../chaos/types.js';

/** Default largest frame: 1 MiB. */
export const DEFAULT_MAX_MESSAGE_SIZE = 1024 * 1024;
const DEFAULT_HEARTBEAT_INTERVAL = 30_000;
const DEFAULT_HEARTBEAT_TIMEOUT = 10_000;

/**
 * Makes a connection of the mock over `transport` (counted, journaled, its
 * pipeline started); `create` makes a kit's own handle (an SSE connection).
 */
export type ConnectTransport = (transport: Transport, create?: ConnectionFactory) => Connection;

/**
 * How a protocol kit carries its own transport. Engine.IO serves HTTP
 * long-polling on the mock's path, and an upgrade that names an open session
 * joins that session instead of starting a connection.
 */
export interface KitTransport {
  /** A plain HTTP request on the mock's path, after the mock is found enabled. Without this hook: 426. */
  request?(request: IncomingMessage, response: ServerResponse, connect: ConnectTransport): void;
  /** A WebSocket the server accepted for this mock. Without this hook: a connection over it. */
  upgraded?(transport: Transport, request: IncomingMessage, connect: ConnectTransport): void;
  /**
   * Decides a WebSocket handshake on the mock's path before it is accepted,
   * as `handshake.verify` does (Engine.IO refuses an unknown session with 400).
   */
  verify?: HandshakeVerifier;
}

/**
 * The WebSocket endpoint fields as a kit's config holds them (in-process: a
 * subprotocol function and `handshake.verify` allowed).
 *
 * @beta
 */
export interface KitEndpointConfig {
  /** Subprotocols the mock accepts (default: the kit's `subprotocols`), or a function choosing one per handshake. */
  subprotocols?: string[] | SubprotocolSelector;
  /** Refuse handshakes that do not agree on a subprotocol (HTTP 400). */
  requireSubprotocol?: boolean;
  /** Largest accepted frame in bytes (default 1 MiB); a larger frame closes the connection with 1009. */
  maxMessageSize?: number;
  /** Most simultaneous connections; further handshakes get HTTP 503. */
  maxConnections?: number;
  /** No frame either way for this long closes the connection with 1001 "idle timeout". */
  idleTimeout?: Duration;
  /** Server pings; a missing pong closes with 1001 "ping timeout". */
  heartbeat?: HeartbeatConfig;
  /** Control of the upgrade (refuse, headers, delay; in-process `verify`). */
  handshake?: HandshakeHooks;
  /** Seeded network faults on this mock's connections, over the server's default chaos; `null` turns the default off here. */
  chaos?: ChaosOptions | null;
  /** Record every connection's frames as they cross the wire: `server.recording(mockId)`. */
  record?: boolean;
}

/** The endpoint fields {@link compileEndpoint} reads, in their in-process form: a kit's, and the path. */
export interface WebSocketEndpointConfig extends KitEndpointConfig {
  path: string;
}

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
  /** A kit's own transport; absent for a WebSocket mock. */
  readonly transport?: KitTransport;
}

/**
 * The WebSocket endpoint of a mock, whatever answers its frames: path,
 * limits, subprotocols, handshake, liveness. `pipeline` is what answers.
 */
export function compileEndpoint(id: string, config: WebSocketEndpointConfig, pipeline: ConnectionPipeline): CompiledMock {
  const heartbeat =
    config.heartbeat && config.heartbeat.enabled !== false
      ? {
          interval: parseDuration(config.heartbeat.interval) ?? DEFAULT_HEARTBEAT_INTERVAL,
          timeout: parseDuration(config.heartbeat.timeout) ?? DEFAULT_HEARTBEAT_TIMEOUT,
        }
      : undefined;
  return {
    runtime: { id, path: config.path, idleTimeout: parseDuration(config.idleTimeout), heartbeat, pipeline },
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

/** Compiles a validated WebSocket mock config. Durations become milliseconds, defaults are filled in. */
export function compileMock(id: string, config: WebSocketMockConfig, host: PipelineHost): CompiledMock {
  return compileEndpoint(id, config, compilePipeline(config, host));
}

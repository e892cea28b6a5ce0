//
// The server's events, and where they come from: the connection manager and
// the mock registry report to sinks that emit them on the server, so neither
// knows the server.
//
import type { EventEmitter } from 'eventemitter3';
import type { ContractViolation } from '../asyncapi/types.js';
import type { ChaosEvent } from '../chaos/types.js';
import type { Connection } from '../connections/Connection.js';
import type { ConnectionEventsSink } from '../connections/ConnectionManager.js';
import type { Message } from '../connections/Message.js';
import type { CloseInfo, ScenarioInfo } from '../connections/types.js';
import type { Mock } from '../mocks/Mock.js';
import type { MockEventsSink } from '../mocks/MockRegistry.js';
import type { RejectionInfo } from './refusal.js';

/** Where a reported error happened. */
export interface ErrorContext {
  /** The mock whose code failed. */
  mockId?: string;
  /** The connection it was handling. */
  connectionId?: string;
}

/** Lifecycle state of a {@link MockServer}. */
export type ServerState = 'starting' | 'running' | 'closing' | 'closed';

/** Events of a {@link MockServer}. */
export interface MockServerEvents {
  /** A client connected to a mock. */
  connection: [connection: Connection];
  /** A frame arrived from a client. */
  message: [connection: Connection, message: Message];
  /** A frame was sent to a client. */
  sent: [connection: Connection, message: Message];
  /** A connection closed. */
  close: [connection: Connection, info: CloseInfo];
  /** A handshake was refused. */
  rejected: [info: RejectionInfo];
  /** A mock was defined. */
  'mock:added': [mock: Mock];
  /** A mock was updated, enabled or disabled. */
  'mock:updated': [mock: Mock];
  /** A mock was removed. */
  'mock:removed': [mock: Mock];
  /** `reset()` cleared mocks, journals and counters. */
  reset: [];
  /** A connection's scenario failed (a required wait timed out). */
  'scenario:failed': [connection: Connection, info: ScenarioInfo];
  /** User code failed (a `respond` or `onConnection` that threw); the server keeps serving. */
  error: [error: Error, context: ErrorContext];
  /** Seeded chaos applied a fault (also journaled on the connection as `conn.faults`). */
  chaos: [fault: ChaosEvent];
  /** A frame or a handshake broke a mock's AsyncAPI contract (also in `conn.violations`). */
  'contract:violation': [violation: ContractViolation, connection: Connection];
  /** `close()` began: what listens to the server from outside (admin event streams, waits over HTTP) ends now. */
  closing: [];
}

type Emitter = EventEmitter<MockServerEvents>;

/** The connection manager's reports, emitted on the server. */
export function connectionEvents(server: Emitter): ConnectionEventsSink {
  return {
    connection: (connection) => server.emit('connection', connection),
    message: (connection, message) => server.emit('message', connection, message),
    sent: (connection, message) => server.emit('sent', connection, message),
    listens: (event) => server.listenerCount(event) > 0,
    close: (connection, info) => server.emit('close', connection, info),
  };
}

/** The mock registry's reports, emitted on the server; a mock's failing user code is the server's `error`. */
export function mockEvents(server: Emitter): MockEventsSink {
  return {
    added: (mock) => server.emit('mock:added', mock),
    updated: (mock) => server.emit('mock:updated', mock),
    removed: (mock) => server.emit('mock:removed', mock),
    failed: (error, mockId, connection) => server.emit('error', error, { mockId, connectionId: connection.id }),
    scenarioFailed: (connection, info) => server.emit('scenario:failed', connection, info),
  };
}

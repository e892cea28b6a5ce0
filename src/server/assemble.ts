//
// What a server is made of, built from its options: the layers, the
// connection manager, the mock registry, the admission of new connections,
// the upgrade handler and the plain HTTP answers, wired to report to the
// server. MockServer.ts holds the parts and adds the public API and the
// lifecycle; nothing here is reachable from the outside.
//
import type { EventEmitter } from 'eventemitter3';
import { ConnectionManager } from '../connections/ConnectionManager.js';
import type { MockKinds } from '../mocks/kinds.js';
import { groupOf } from '../mocks/Mock.js';
import { MockRegistry } from '../mocks/MockRegistry.js';
import { setNote } from '../util/notes.js';
import { Admission } from './accept.js';
import { connectionEvents, mockEvents, type MockServerEvents, type ServerState } from './events.js';
import type { RequestHost } from './httpRequest.js';
import { ServerLayers } from './layers.js';
import type { ResolvedOptions } from './options.js';
import { Counters, registerCounters } from './stats.js';
import { UpgradeHandler } from './upgrade.js';

/** What the parts ask of the server they make up: its events, its URLs (read once it listens) and its state. */
export interface ServerHost extends EventEmitter<MockServerEvents> {
  readonly url: string;
  readonly httpUrl: string;
  readonly state: ServerState;
}

/** The parts a server holds. */
export interface ServerParts {
  /** Lifetime counters (`server.stats()`, the metrics adapter). */
  readonly counters: Counters;
  /** What chaos, the recorder and the proxy keep. */
  readonly layers: ServerLayers;
  /** The connections (`server.connections`). */
  readonly manager: ConnectionManager;
  /** The mocks (`server.mocks`). */
  readonly registry: MockRegistry;
  /** WebSocket upgrades on the mock port. */
  readonly upgrades: UpgradeHandler;
  /** Plain HTTP requests on the mock port (a kit's HTTP transport, the 404s). */
  readonly requests: RequestHost;
}

/** Builds the parts of `server` from its resolved options and the mock kinds it speaks (the WebSocket kind and its kits'). */
export function assemble(server: ServerHost, options: ResolvedOptions, kinds: MockKinds): ServerParts {
  const counters = new Counters();
  registerCounters(server, counters);
  const running = () => server.state === 'running';
  const layers = new ServerLayers(
    options,
    (fault) => {
      counters.fault(fault.kind);
      server.emit('chaos', fault);
    },
    {
      violated: (mockId, violation, connection) => {
        counters.forMock(mockId).violations++;
        server.emit('contract:violation', violation, connection);
      },
      failed: (error, mockId) => server.emit('error', error, { mockId }),
    },
  );
  const manager = new ConnectionManager({
    note: () => layers.note(),
    timeout: options.timeout,
    closeTimeout: options.closeTimeout,
    journalLimit: options.journal.limit,
    releaseClosed: options.journal.releaseClosed,
    seed: options.seed,
    label: () => server.url,
    counters,
    carriers: kinds.carriers,
    events: connectionEvents(server),
  });
  const registry = new MockRegistry({
    kinds,
    connections: manager,
    layers,
    url: (path) => `${server.url}${path}`,
    httpUrl: (path) => `${server.httpUrl}${path}`,
    events: mockEvents(server),
  });
  const route = (pathname: string) => registry.route(pathname);
  const admission = new Admission(manager);
  const upgrades = new UpgradeHandler({
    running,
    route,
    openCount: (mock) => groupOf(mock).open.size,
    hooks: layers.handshakeHooks,
    rejected: (info) => {
      counters.rejected(info.mockId, info.error);
      server.emit('rejected', info);
    },
    failed: (error, mock) => server.emit('error', error, { mockId: mock.id }),
    accept: (...args) => admission.upgraded(...args),
  });
  setNote(server, () => layers.note());
  return { counters, layers, manager, registry, upgrades, requests: { running, route, admission } };
}

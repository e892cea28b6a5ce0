//
// The Server-Sent Events kit on the seam: a carrier of its own (`sse`: GET
// on the path opens an event stream, http.ts), no WebSocket endpoint fields,
// no layers (chaos, record: a stream is one HTTP response), its feed as its one
// stage, and a refusal of WebSocket upgrades on its path.
//
import { defineKit, type ConfigOfKit, type Kit } from '../../kit/index.js';
import type { Assert, Same } from '../../util/typeChecks.js';
import { sseTransport } from './http.js';
import { loopIssues, sseInProcess, sseSchema } from './schema.js';
import type { SseConnection } from './SseConnection.js';
import { SseMock } from './SseMock.js';
import { compileFeed, sseStage } from './stage.js';
import type { SseMockConfig } from './types.js';

/** The Server-Sent Events kit: `server.sse()`, envelope `type: sse`. */
export const sseKit: Kit<'sse', SseMockConfig, SseMock, SseConnection> = defineKit({
  type: 'sse',
  title: 'SSE',
  defaultPath: '/events',
  carrier: 'sse',
  endpoint: false,
  layers: false,
  schema: sseSchema,
  inProcess: sseInProcess,
  validate: loopIssues,
  stages: ({ config, host }) => [sseStage(compileFeed(config), host)],
  transport: ({ config }) => sseTransport(config),
  // A WebSocket handshake on an SSE path is refused before any upgrade.
  handshake: (config) => ({
    status: 400,
    body: { error: 'sse_endpoint', path: config.path, message: 'This path serves Server-Sent Events: open it with a GET (EventSource), not a WebSocket.' },
  }),
  mock: SseMock,
});

// Compile-time proof that the kit's config and the documented interface agree.
export type _SseConfigAgrees = Assert<Same<keyof ConfigOfKit<typeof sseKit>, keyof SseMockConfig>>;

//
// The STOMP kit on the seam: its fields, its state across versions
// (sessions, handles, the subscription index), its one stage and its handle;
// with `sockjs`, the SockJS endpoint under the mock's path as its transport.
// The WebSocket endpoint (path, subprotocols, limits, handshake) and
// everything else every mock has come from the seam.
//
import { defineKit, type ConfigOfKit, type Kit } from '../../kit/index.js';
import type { Assert, Same } from '../../util/typeChecks.js';
import { compileDestinations } from './destinations.js';
import { STOMP_SUBPROTOCOLS, STOMP_VERSIONS } from './protocol.js';
import { stompInProcess, stompSchema } from './schema.js';
import { sockJsTransport, SOCKJS_SUBPATHS } from './sockjs/transport.js';
import { stompStage } from './stage.js';
import { StompState } from './state.js';
import type { StompConnection } from './StompConnection.js';
import { StompMock } from './StompMock.js';
import type { StompMockConfig } from './types.js';

/** Spring's default heart-beat when a broker has a scheduler: 10 s both ways. */
const DEFAULT_HEART_BEAT = 10_000;
/** Spring's default limit of an inbound STOMP message over WebSocket: 64 KiB. */
const DEFAULT_MAX_FRAME = 64 * 1024;

/** The STOMP kit: `server.stomp()`, envelope `type: stomp`. */
export const stompKit: Kit<'stomp', StompMockConfig, StompMock, StompConnection> = defineKit({
  type: 'stomp',
  title: 'STOMP',
  defaultPath: '/ws',
  schema: stompSchema,
  inProcess: stompInProcess,
  subprotocols: STOMP_SUBPROTOCOLS,
  subpaths: SOCKJS_SUBPATHS,
  state: ({ group }) => new StompState(group),
  stages({ config, state, host }) {
    const stomp = config as unknown as StompMockConfig;
    state.maxFrameSize = stomp.maxFrameSize ?? DEFAULT_MAX_FRAME;
    return [
      stompStage({
        destination: compileDestinations(stomp.destinations),
        connect: stomp.connect,
        versions: stomp.versions ?? STOMP_VERSIONS,
        heartBeat: [stomp.heartBeat?.outgoing ?? DEFAULT_HEART_BEAT, stomp.heartBeat?.incoming ?? DEFAULT_HEART_BEAT],
        state,
        host,
      }),
    ];
  },
  transport({ config, state }) {
    return sockJsTransport(config as unknown as StompMockConfig, state.sockjs);
  },
  mock: StompMock,
});

// Compile-time proof that the kit's config and the documented interface agree.
export type _StompConfigAgrees = Assert<Same<keyof ConfigOfKit<typeof stompKit>, keyof StompMockConfig>>;

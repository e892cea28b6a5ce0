//
// A proxy mock's two stages, added by the proxy layer (layer.ts).
// `proxyIntercept` comes first in the outbound
// phase and sees every frame the upstream sends on its way to the client
// (tagged `frame.upstream`): `intercept` rules, then `onUpstreamMessage`,
// replace, drop or pass it. `proxyForward` comes last in the inbound phase,
// where echo would be: what no scenario, matcher or default response handled
// goes to the upstream, as it came. The upstream socket is the connection's
// (UpstreamLink.ts); these stages only route frames to and from it.
//
import { kCore, type Connection } from '../connections/Connection.js';
import type { OutboundFrame } from '../connections/encode.js';
import type { Message } from '../connections/Message.js';
import { responseFromResult } from '../behaviour/responses.js';
import type { UpstreamMessageResult, WebSocketMockConfig } from '../mocks/types.js';
import { isPromiseLike } from '../util/promise.js';
import { toError } from '../util/toError.js';
import type { OutboundResult, Stage, StageContext } from '../pipeline/stage.js';
import { compileMatchers } from '../pipeline/stages/matchers.js';
import { forwardToUpstream, linkOf } from './UpstreamLink.js';

/** The upstream's frames on their way to the client: `intercept`, then `onUpstreamMessage`. Absent when the mock has neither. */
export function proxyInterceptStage(config: WebSocketMockConfig, host: StageContext): Stage | undefined {
  if (!config.proxy) return undefined;
  const intercept = config.intercept?.length ? compileMatchers(config.intercept, host) : undefined;
  const handler = config.onUpstreamMessage;
  if (!intercept && !handler) return undefined;

  // A frame that passes while a replacement waits in the send queue (a delay,
  // an async `respond`) waits behind it: the client gets the upstream's frames
  // in the order they came, replaced or not.
  const pass = (frame: OutboundFrame, connection: Connection): OutboundResult => {
    const queue = host.queues.of(connection);
    if (!queue.pending) return frame;
    const untagged: OutboundFrame = { payload: frame.payload, binary: frame.binary, ...(frame.journal === undefined ? {} : { journal: frame.journal }) };
    queue.enqueue(0, () => connection[kCore].deliver(untagged));
    return null;
  };

  const settle = (result: UpstreamMessageResult, frame: OutboundFrame, message: Message, connection: Connection): OutboundResult => {
    if (result === undefined) return pass(frame, connection);
    if (result === null) return null;
    let response;
    try {
      response = responseFromResult(result);
    } catch (err) {
      // What the handler returned could not be sent (a circular object): reported, and the frame passes.
      host.report(toError(err), connection);
      return pass(frame, connection);
    }
    if (!response) return null;
    // A response with a delay waits its turn in the send queue; one without
    // takes the frame's place here, so an async handler keeps the frames in order.
    if (response.delay > 0) {
      host.queues.of(connection).respond(response, message);
      return null;
    }
    // A handler's response is not a template: the scope is never read.
    return response.render({ connection, message, connectionCount: host.connectionCount, sequence: 0 });
  };

  return {
    name: 'proxyIntercept',
    outbound(frame, connection) {
      const message = frame.upstream;
      if (message === undefined) return frame;
      if (intercept) {
        const hit = intercept(connection, message);
        if (hit !== undefined && !hit.forward) return null;
      }
      if (!handler) return pass(frame, connection);
      let result: ReturnType<typeof handler>;
      try {
        result = handler(message, connection);
      } catch (err) {
        host.report(toError(err), connection);
        return pass(frame, connection);
      }
      if (!isPromiseLike<UpstreamMessageResult>(result)) return settle(result, frame, message, connection);
      return Promise.resolve(result).then(
        (value) => settle(value, frame, message, connection),
        (err: unknown) => {
          host.report(toError(err), connection);
          return pass(frame, connection);
        },
      );
    },
    disconnect: (connection) => host.queues.dispose(connection),
  };
}

/** The client's frames that nothing else handled go to the upstream; the upstream's early frames flow once the pipeline is up; closes are mirrored. */
export function proxyForwardStage(config: WebSocketMockConfig): Stage | undefined {
  if (!config.proxy) return undefined;
  return {
    name: 'proxyForward',
    connect(connection) {
      linkOf(connection)?.start();
    },
    inbound(frame) {
      forwardToUpstream(frame);
      return true;
    },
    disconnect(connection) {
      const info = connection.closeInfo;
      if (info) linkOf(connection)?.clientClosed(info);
    },
  };
}

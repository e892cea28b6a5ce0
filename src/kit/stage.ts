//
// The stage that runs a plain kit: `connect` per accepted connection, then
// every inbound frame to the connection's `onMessage` listeners, and the
// `onClose` listeners when it ends. A `connect` that throws (or rejects)
// closes the connection with 1011 and is reported; the server goes on.
//
import type { Connection } from '../connections/Connection.js';
import type { Stage } from '../pipeline/stage.js';
import { isPromiseLike } from '../util/promise.js';
import { toError } from '../util/toError.js';
import type { KitHost } from './context.js';
import type { KitHandles } from './handles.js';

/** 1011: the server met a condition that kept it from serving the request. */
const INTERNAL_ERROR = 1011;

/** The stage of one version of a plain kit's mock. @internal */
export function kitStage(options: {
  type: string;
  connect: ((connection: never, config: never, mock: never) => void | Promise<void>) | undefined;
  config: unknown;
  handles: KitHandles;
  host: KitHost;
}): Stage {
  const { type, config, handles, host } = options;
  const connect = options.connect as ((connection: unknown, config: unknown, mock: unknown) => void | Promise<void>) | undefined;

  const failed = (connection: Connection, err: unknown) => {
    const error = toError(err);
    host.report(new Error(`kit "${type}": connect failed on ${connection.id}: ${error.message}`, { cause: error }), connection);
    if (connection.isOpen) connection.close({ code: INTERNAL_ERROR, reason: `kit "${type}" failed` }).catch(() => {});
  };

  return {
    name: `kit:${type}`,
    connect(connection) {
      const handle = handles.handle(connection);
      if (!connect) return;
      try {
        const result = connect(handle, config, handles.mock);
        if (isPromiseLike(result)) Promise.resolve(result).catch((err: unknown) => failed(connection, err));
      } catch (err) {
        failed(connection, err);
      }
    },
    inbound({ connection, message }) {
      const listeners = handles.listeners(connection)?.message;
      if (!listeners || listeners.length === 0) return false;
      for (const listener of listeners) {
        try {
          // A listener may return what it sends (`return conn.send(…)`): a
          // rejection is reported like a throw, never left unhandled.
          const result: unknown = listener(message);
          if (isPromiseLike(result)) Promise.resolve(result).catch((err: unknown) => host.report(toError(err), connection));
        } catch (err) {
          host.report(toError(err), connection);
        }
      }
      return true;
    },
    disconnect(connection) {
      const listeners = handles.listeners(connection)?.close;
      const info = connection.closeInfo;
      if (!listeners || !info) return;
      for (const listener of listeners) {
        try {
          listener(info);
        } catch (err) {
          host.report(toError(err), connection);
        }
      }
    },
  };
}

import type { Connection } from '../../connections/Connection.js';
import type { WebSocketMockConfig } from '../../mocks/types.js';
import { toError } from '../../util/toError.js';
import type { Stage, StageContext } from '../stage.js';

/** Calls the mock's in-process `onConnection` handler; what it throws or rejects is reported. */
export function onConnectionStage(config: WebSocketMockConfig, context: StageContext): Stage | undefined {
  const handler = config.onConnection;
  if (!handler) return undefined;
  const report = (err: unknown, connection: Connection) => context.report(toError(err), connection);
  return {
    name: 'onConnection',
    connect(connection) {
      try {
        Promise.resolve(handler(connection)).catch((err: unknown) => report(err, connection));
      } catch (err) {
        report(err, connection);
      }
    },
  };
}

import { kCore } from '../../connections/Connection.js';
import type { Stage } from '../stage.js';

/** Sends every frame that reaches it back as it came: same bytes, same frame type, journaled as its text. */
export const echoStage: Stage = {
  name: 'echo',
  inbound({ connection, message, raw }) {
    connection[kCore].deliver({ payload: raw, binary: message.binary, journal: message.data });
    return true;
  },
};

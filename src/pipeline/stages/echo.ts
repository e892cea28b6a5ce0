import { kCore } from '../../connections/Connection.js';
import type { Stage } from '../stage.js';

/** Sends every frame that reaches it back as it came: same bytes, same frame type, journaled as its text. */
export const echoStage: Stage = {
  name: 'echo',
  inbound({ connection, raw, binary, data }) {
    connection[kCore].deliver({ payload: raw, binary, journal: data });
    return true;
  },
};

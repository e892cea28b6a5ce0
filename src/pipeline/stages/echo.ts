import { kInternals } from '../../internal.js';
import type { Stage } from '../pipeline.js';

/** Sends every frame that reaches it back as it came: same bytes, same frame type. */
export const echoStage: Stage = {
  name: 'echo',
  receive({ connection, message, raw }) {
    connection[kInternals].write(raw, message.binary, undefined, message.data);
    return true;
  },
};

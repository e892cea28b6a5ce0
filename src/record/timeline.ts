//
// A recorded connection as a timeline of steps: pause, send a server frame,
// await a client frame, close. The replay stage compiles it into a script and
// `wsmock recording to-config` writes it as a scenario, so both agree on
// timing. A pause precedes each server frame: the time since the frame before
// it (either direction), scaled by the timing. Client frames get no pause:
// the client sets their pace.
//
import type { RecordedConnection, RecordedFrame } from './format.js';
import { isValidCloseCode } from '../util/closeCodes.js';

/** How a replay paces the server's frames: as recorded, at once, or `speed` times faster. */
export type ReplayTiming = 'recorded' | 'asap' | ReplaySpeed;

/** Replay timing `{ speed }`: the recorded pauses divided by `speed`. */
export interface ReplaySpeed {
  /** How many times faster than recorded (0.5: twice as slow). More than 0. */
  speed: number;
}

/** One step of a replay. */
export type TimelineItem =
  | { kind: 'pause'; ms: number }
  | { kind: 'send'; frame: RecordedFrame; index: number }
  | { kind: 'wait'; frame: RecordedFrame; index: number }
  | { kind: 'close'; code: number; reason: string };

/** The steps replaying `connection` with `timing`. */
export function timeline(connection: RecordedConnection, timing: ReplayTiming = 'recorded'): TimelineItem[] {
  const factor = timing === 'asap' ? 0 : timing === 'recorded' ? 1 : 1 / timing.speed;
  const items: TimelineItem[] = [];
  let previous = 0;
  const pause = (at: number) => {
    const ms = Math.round((at - previous) * factor);
    if (ms > 0) items.push({ kind: 'pause', ms });
  };
  connection.frames.forEach((frame, index) => {
    if (frame.direction === 'server-to-client') {
      pause(frame.at);
      items.push({ kind: 'send', frame, index });
    } else {
      items.push({ kind: 'wait', frame, index });
    }
    previous = frame.at;
  });
  // The server's close is replayed when the server may send it (not 1005/1006,
  // which are never sent); a client's close is the client's to make again.
  const close = connection.close;
  if (close && close.by === 'server' && isValidCloseCode(close.code)) {
    pause(close.at);
    items.push({ kind: 'close', code: close.code, reason: close.reason });
  }
  return items;
}

//
// Seeded chaos on a connection's frames: the chaos layer's wrapper around
// every pipeline (layer.ts), the last step of the outbound phase (between the
// stages and the write) and the first of the inbound one (before the stages
// see a frame). Every decision draws from the connection's
// stream of the server's seeded random, in a fixed order per frame (drop,
// corrupt, truncate, duplicate, delay, disconnect), so the same seed and the
// same traffic give the same faults, whatever other connections do.
//
// Delayed and reordered frames wait in one queue per direction, owned by the
// connection, drained in order by a single real-clock timer and dropped when
// the connection closes.
//
import type { ChaosSettings } from './settings.js';
import { drawDelay, type MockChaos } from './ServerChaos.js';
import type { ChaosFault, ChaosFaultKind } from './types.js';
import { corruptBytes, corruptText, isEmpty, truncate, type Payload } from './mangle.js';
import { kCore, type Connection } from '../connections/Connection.js';
import type { InboundFrame } from '../connections/contracts.js';
import type { OutboundFrame } from '../connections/encode.js';
import { FrameMessage, type Message } from '../connections/Message.js';
import { realClearTimeout, realSetTimeout } from '../util/clock.js';
import type { SeededRandom } from '../util/random.js';

type Direction = 'in' | 'out';

/** One direction of a connection: its frame count and what waits to leave. */
class Lane {
  /** Frames of this direction seen by chaos, the next one's index. */
  index = 0;
  readonly queue: { due: number; run: () => void }[] = [];
  lastDue = 0;
  timer: NodeJS.Timeout | undefined;
  window: { index: number; due: number; run: () => void }[] = [];
  windowTimer: NodeJS.Timeout | undefined;

  stop(): void {
    if (this.timer) realClearTimeout(this.timer);
    if (this.windowTimer) realClearTimeout(this.windowTimer);
    this.timer = this.windowTimer = undefined;
  }
}

class ConnectionChaos {
  readonly out = new Lane();
  readonly in = new Lane();
  /** Frames of both directions seen, for `disconnect.afterFrames`. */
  frames = 0;
  disconnected = false;
  afterMs: NodeJS.Timeout | undefined;
}

const states = new WeakMap<Connection, ConnectionChaos>();

function stateOf(connection: Connection): ConnectionChaos {
  let state = states.get(connection);
  if (!state) states.set(connection, (state = new ConnectionChaos()));
  return state;
}

/** What one direction needs to know of its frames. */
interface Frames<F> {
  readonly direction: Direction;
  payload(frame: F): Payload;
  /** The frame as a journal entry, for `only`/`except`. */
  message(frame: F, connection: Connection): Message;
  /** The same frame with another payload. */
  with(frame: F, connection: Connection, payload: Payload): F;
  /** Hands the frame on (the write, or the inbound stages); `first` is false for a duplicate. */
  pass(frame: F, connection: Connection, first: boolean): void;
  /** The frame will never be handed on. */
  lost(frame: F): void;
  /** The same frame, running `then` once it is handed on (written out, for a frame the server sends). */
  then(frame: F, then: () => void): F;
}

function fault(chaos: MockChaos, connection: Connection, kind: ChaosFaultKind, direction: Direction, frameIndex: number | null, detail: Record<string, unknown> = {}): void {
  const entry: ChaosFault = { at: Date.now(), kind, direction, frameIndex, detail };
  chaos.report(connection, entry);
}

/** Closes the connection the way `disconnect.mode` says, once. */
function disconnect(chaos: MockChaos, settings: ChaosSettings, connection: Connection, state: ConnectionChaos, direction: Direction | null, frameIndex: number | null, cause: string): void {
  if (state.disconnected || !connection.isOpen) return;
  state.disconnected = true;
  const mode = settings.disconnect!.mode;
  fault(chaos, connection, 'disconnect', direction ?? 'out', frameIndex, { cause, mode });
  if (mode === 'abrupt') void connection.terminate();
  else connection.close({ code: mode.code, ...(mode.reason !== undefined ? { reason: mode.reason } : {}) }).catch(() => {});
}

/** Runs `run` at `due`, after everything queued before it. */
function schedule(lane: Lane, due: number, run: () => void): void {
  const at = Math.max(due, lane.lastDue);
  lane.lastDue = at;
  if (lane.queue.length === 0 && at <= Date.now()) {
    run();
    return;
  }
  lane.queue.push({ due: at, run });
  if (!lane.timer) arm(lane);
}

function arm(lane: Lane): void {
  const head = lane.queue[0];
  if (!head) return;
  lane.timer = realSetTimeout(() => {
    lane.timer = undefined;
    const now = Date.now();
    while (lane.queue.length > 0 && lane.queue[0]!.due <= now) lane.queue.shift()!.run();
    arm(lane);
  }, Math.max(0, head.due - Date.now()));
}

/** A reorder window leaves, shuffled (Fisher-Yates on the connection's stream). */
function flushWindow(chaos: MockChaos, connection: Connection, lane: Lane, direction: Direction, random: SeededRandom): void {
  if (lane.windowTimer) realClearTimeout(lane.windowTimer);
  lane.windowTimer = undefined;
  const window = lane.window;
  lane.window = [];
  for (let i = window.length - 1; i > 0; i--) {
    const j = Math.floor(random.next() * (i + 1));
    [window[i], window[j]] = [window[j]!, window[i]!];
  }
  if (window.length > 1) fault(chaos, connection, 'reorder', direction, window.reduce((min, w) => Math.min(min, w.index), Number.POSITIVE_INFINITY), { order: window.map((w) => w.index) });
  // Each frame keeps its own delay; the window's new order holds (a queue never overtakes).
  for (const item of window) schedule(lane, item.due, item.run);
}

/** One frame through chaos. */
function run<F>(chaos: MockChaos, settings: ChaosSettings, connection: Connection, frames: Frames<F>, frame: F): void {
  const state = stateOf(connection);
  const { direction } = frames;
  const lane = state[direction];
  const index = lane.index++;
  state.frames++;
  const random = connection[kCore].random();
  const targeted = settings.targets === undefined || settings.targets(frames.message(frame, connection), connection);

  let current = frame;
  let copies = 1;
  let delay = 0;
  let dropped = false;
  if (targeted) {
    if (settings.drop > 0 && random.next() < settings.drop) {
      dropped = true;
      fault(chaos, connection, 'drop', direction, index);
    }
    if (!dropped && settings.corrupt > 0 && random.next() < settings.corrupt) {
      const payload = frames.payload(current);
      if (!isEmpty(payload)) {
        const done = typeof payload === 'string' ? corruptText(payload, random) : corruptBytes(payload, random);
        current = frames.with(current, connection, done.payload);
        fault(chaos, connection, 'corrupt', direction, index, done.detail);
      }
    }
    if (!dropped && settings.truncate > 0 && random.next() < settings.truncate) {
      const payload = frames.payload(current);
      if (!isEmpty(payload)) {
        const done = truncate(payload, random);
        current = frames.with(current, connection, done.payload);
        fault(chaos, connection, 'truncate', direction, index, done.detail);
      }
    }
    if (!dropped && settings.duplicate > 0 && random.next() < settings.duplicate) {
      copies = 2;
      fault(chaos, connection, 'duplicate', direction, index);
    }
    if (!dropped && settings.delay) {
      delay = drawDelay(settings.delay, random);
      if (delay > 0) fault(chaos, connection, 'delay', direction, index, { ms: delay });
    }
  }

  let leaving = false;
  const d = settings.disconnect;
  if (d && !state.disconnected) {
    if (d.afterFrames !== undefined && state.frames >= d.afterFrames) leaving = true;
    else if (targeted && d.probability > 0 && random.next() < d.probability) leaving = true;
  }

  if (leaving) {
    const cause = d!.afterFrames !== undefined && state.frames >= d!.afterFrames ? 'afterFrames' : 'probability';
    const go = () => disconnect(chaos, settings, connection, state, direction, index, cause);
    // After this frame has left: a close (or a destroyed socket) now would overtake it.
    if (dropped) schedule(lane, Date.now(), go);
    else current = frames.then(current, go);
  }

  if (dropped) frames.lost(frame);
  else {
    const due = Date.now() + delay;
    const send = () => {
      for (let i = 0; i < copies; i++) frames.pass(current, connection, i === 0);
    };
    if (targeted && settings.reorder) {
      lane.window.push({ index, due, run: send });
      if (lane.window.length >= settings.reorder.window) flushWindow(chaos, connection, lane, direction, random);
      else if (!lane.windowTimer) {
        lane.windowTimer = realSetTimeout(() => flushWindow(chaos, connection, lane, direction, connection[kCore].random()), settings.reorder.hold);
      }
    } else if (delay === 0 && lane.queue.length === 0 && lane.window.length === 0) send();
    else schedule(lane, due, send);
  }
}

const outbound = (write: (connection: Connection, frame: OutboundFrame, callback?: (err?: Error) => void) => void) =>
  ({
    direction: 'out',
    payload: (f) => f.frame.payload,
    message: (f, connection) => new FrameMessage('out', connection.id, f.frame.binary, f.frame.journal ?? f.frame.payload, 0, f.frame.json),
    with: (f, _connection, payload) => ({ frame: { payload, binary: f.frame.binary }, callback: f.callback }),
    pass: (f, connection, first) => write(connection, f.frame, first ? f.callback : undefined),
    lost: (f) => f.callback?.(),
    then: (f, then) => ({
      frame: f.frame,
      callback: (err?: Error) => {
        f.callback?.(err);
        then();
      },
    }),
  }) satisfies Frames<{ frame: OutboundFrame; callback: ((err?: Error) => void) | undefined }>;

/** An inbound frame: the journal entry and the bytes the stages get. */
interface Inbound {
  frame: InboundFrame;
  then?: () => void;
}

const inbound = (receive: (frame: InboundFrame) => void) =>
  ({
    direction: 'in',
    payload: (f) => (f.frame.binary ? f.frame.raw : (f.frame.message.text ?? '')),
    message: (f) => f.frame.message,
    with: (f, connection, payload) => {
      const raw = typeof payload === 'string' ? Buffer.from(payload) : payload;
      const { binary } = f.frame;
      return { frame: { connection, message: new FrameMessage('in', connection.id, binary, payload, raw.length), raw, binary, data: payload } };
    },
    pass: (f, _connection, first) => {
      receive(f.frame);
      if (first) f.then?.();
    },
    lost: () => {},
    then: (f, then) => ({ ...f, then }),
  }) satisfies Frames<Inbound>;

/** The chaos steps of one mock's pipeline, around its write and its inbound stages. */
export interface ChaosLanes {
  outbound(connection: Connection, frame: OutboundFrame, callback?: (err?: Error) => void): void;
  inbound(frame: InboundFrame): void;
  connect(connection: Connection): void;
  disconnect(connection: Connection): void;
}

/**
 * Wraps a pipeline's write and its inbound entry with the mock's chaos. While
 * the mock has none (or none in a direction), a frame costs one property read.
 */
export function chaosLanes(
  chaos: MockChaos,
  write: (connection: Connection, frame: OutboundFrame, callback?: (err?: Error) => void) => void,
  receive: (frame: InboundFrame) => void,
): ChaosLanes {
  const out = outbound(write);
  const into = inbound(receive);
  return {
    outbound(connection, frame, callback) {
      const settings = chaos.settings;
      if (settings?.out) run(chaos, settings, connection, out, { frame, callback });
      else write(connection, frame, callback);
    },
    inbound(frame) {
      const settings = chaos.settings;
      if (settings?.in) run(chaos, settings, frame.connection, into, { frame });
      else receive(frame);
    },
    connect(connection) {
      const afterMs = chaos.settings?.disconnect?.afterMs;
      if (afterMs === undefined) return;
      const state = stateOf(connection);
      state.afterMs = realSetTimeout(() => {
        const settings = chaos.settings;
        if (settings?.disconnect) disconnect(chaos, settings, connection, state, null, null, 'afterMs');
      }, afterMs);
    },
    disconnect(connection) {
      const state = states.get(connection);
      if (!state) return;
      if (state.afterMs) realClearTimeout(state.afterMs);
      for (const lane of [state.out, state.in]) {
        lane.stop();
        // Frames still waiting fail their send() (the connection is closed).
        const waiting = [...lane.window.map((w) => w.run), ...lane.queue.map((q) => q.run)];
        lane.window = [];
        lane.queue.length = 0;
        if (lane === state.out) for (const go of waiting) go();
      }
      states.delete(connection);
    },
  };
}

//
// What one version of a STOMP mock does with a connection: each WebSocket
// message fed to the connection's parser, each frame executed as a broker
// does (CONNECT first, then SEND, SUBSCRIBE, UNSUBSCRIBE, ACK/NACK, BEGIN,
// COMMIT, ABORT, DISCONNECT), a RECEIPT for every frame that asks for one.
// A frame that breaks the protocol gets an ERROR frame and the connection is
// closed, as the spec has it; the other connections go on.
//
import { randomOf, type Connection, type KitHost, type Message, type Stage, type TemplateScope } from '../../kit/index.js';
import { isPromiseLike } from '../../util/promise.js';
import { toError } from '../../util/toError.js';
import { repliesOf, type DestinationAnswer, type RenderedReply } from './destinations.js';
import type { ParsedItem, StompFrame, StompVersion } from './frame.js';
import { CLIENT_COMMANDS, negotiateHeartBeat, negotiateVersion, parseHeartBeat } from './protocol.js';
import type { StompAckMode, StompSession } from './session.js';
import { ERROR_CLOSE } from './StompConnection.js';
import { makeSend } from './StompSend.js';
import type { StompState } from './state.js';
import type { StompConnectHook } from './types.js';
import { writeFrame } from './wire.js';

/** What a version of a STOMP mock needs. */
export interface StompStageOptions {
  readonly destination: (name: string) => DestinationAnswer | undefined;
  readonly connect: boolean | { headers?: Record<string, string> } | StompConnectHook | undefined;
  readonly versions: readonly StompVersion[];
  readonly heartBeat: [number, number];
  readonly state: StompState;
  readonly host: KitHost;
}

const ACK_MODES = new Set<string>(['auto', 'client', 'client-individual']);

/** A protocol error: the ERROR frame's `message` header, and the RECEIPT id it answers, if any. */
class StompError extends Error {}

/** What one version of a STOMP mock does with frames. */
export function stompStage(options: StompStageOptions): Stage {
  const { state, host, versions } = options;
  let sequence = 0;

  const scopeOf = (connection: Connection, message: Message | undefined): TemplateScope => ({
    connection,
    message,
    connectionCount: host.connectionCount,
    sequence: ++sequence,
    uuid: () => randomOf(connection).uuid(),
  });

  /** ERROR, then the close: the connection alone ends. */
  const fail = (session: StompSession, message: string, frame?: StompFrame): void => {
    if (session.phase === 'closed') return;
    session.phase = 'closed';
    session.stopHeartBeats();
    const headers: Record<string, string> = { message: message.replace(/[\r\n]+/g, ' ').slice(0, 200) };
    const receipt = frame?.headers.receipt;
    if (receipt !== undefined) headers['receipt-id'] = receipt;
    headers['content-type'] = 'text/plain';
    writeFrame(session.connection, session.version, 'ERROR', headers, message);
    session.connection.close(ERROR_CLOSE).catch(() => {});
  };

  const required = (frame: StompFrame, name: string): string => {
    const value = frame.headers[name];
    if (value === undefined || value === '') throw new StompError(`${frame.command} needs a "${name}" header`);
    return value;
  };

  const publishReplies = (session: StompSession, replies: RenderedReply[]) => {
    for (const reply of replies) state.publish(reply.destination, reply.body, reply.headers, reply.destination.startsWith('/user/') ? session : undefined);
  };

  const runHandler = (session: StompSession, answer: Extract<DestinationAnswer, { kind: 'handler' }>, send: ReturnType<typeof makeSend>) => {
    const failed = (err: unknown) => host.report(new Error(`STOMP destination ${send.destination} failed on ${session.connection.id}: ${toError(err).message}`, { cause: err }), session.connection);
    const publish = (value: unknown) => {
      if (value === undefined) return;
      const replies = repliesOf(value);
      if (typeof replies === 'string') failed(new Error(replies));
      else publishReplies(session, replies);
    };
    let result: unknown;
    try {
      result = answer.handler(send, state.handle(session.connection));
    } catch (err) {
      return failed(err);
    }
    if (isPromiseLike(result)) Promise.resolve(result).then(publish, failed);
    else publish(result);
  };

  const deliverSend = (session: StompSession, frame: StompFrame, message: Message) => {
    const destination = frame.headers.destination!;
    const send = makeSend(destination, frame.headers, frame.body, session.connection.id);
    session.sends.push(send);
    state.sends.push(send);
    const answer = options.destination(destination);
    if (answer?.kind === 'handler') return runHandler(session, answer, send);
    if (answer?.kind === 'replies') {
      let replies: RenderedReply[];
      try {
        replies = answer.render(scopeOf(session.connection, message), send, session.connectHeaders);
      } catch (err) {
        host.report(toError(err), session.connection);
        return;
      }
      return publishReplies(session, replies);
    }
    // A simple broker: what is sent to a destination goes to its subscribers.
    const { receipt: _r, transaction: _t, 'content-length': _l, destination: _d, ...headers } = frame.headers;
    state.publish(destination, frame.body.includes(0) ? frame.body : send.body, headers);
  };

  /** Runs `action` now, or at COMMIT when the frame names a transaction. */
  const inTransaction = (session: StompSession, frame: StompFrame, action: () => void) => {
    const name = frame.headers.transaction;
    if (name === undefined) return action();
    const held = session.transactions.get(name);
    if (!held) throw new StompError(`${frame.command} names transaction "${name}", which is not open (BEGIN it first)`);
    held.push(action);
  };

  const accept = (session: StompSession, frame: StompFrame, version: StompVersion, extra: Record<string, string>) => {
    const client = parseHeartBeat(frame.headers['heart-beat'])!;
    const [sx, sy] = options.heartBeat;
    const beats = version === '1.0' ? { send: 0, receive: 0 } : negotiateHeartBeat(client, options.heartBeat);
    session.version = version;
    session.parser.version = version;
    session.phase = 'connected';
    const headers: Record<string, string> = { version, 'heart-beat': `${sx},${sy}`, server: 'wsmock', session: session.connection.id };
    if (frame.headers.login !== undefined) headers['user-name'] = frame.headers.login;
    writeFrame(session.connection, version, 'CONNECTED', { ...headers, ...extra });
    session.startHeartBeats(beats.send, beats.receive);
    state.connections.push(state.handle(session.connection));
  };

  const connect = (session: StompSession, frame: StompFrame, message: Message) => {
    if (session.phase === 'connected') throw new StompError(`${frame.command} on a connection that is already connected`);
    const version = negotiateVersion(frame.headers['accept-version'], versions);
    if (!version) {
      session.version = '1.2';
      fail(session, `Supported protocol versions are ${versions.join(' ')}`);
      return;
    }
    if (!parseHeartBeat(frame.headers['heart-beat'])) throw new StompError(`the heart-beat header "${frame.headers['heart-beat']}" is not two numbers "cx,cy"`);
    session.connectHeaders = Object.freeze({ ...frame.headers });
    session.version = version;
    const rule = options.connect;
    const decide = (verdict: unknown) => {
      if (session.phase === 'closed' || !session.connection.isOpen) return;
      if (verdict === false) return fail(session, 'Access refused: the mock refused this CONNECT');
      const extra = typeof verdict === 'object' && verdict !== null ? ((verdict as { headers?: Record<string, string> }).headers ?? {}) : {};
      accept(session, frame, version, extra);
    };
    if (typeof rule !== 'function') return decide(rule ?? true);
    const refused = (err: unknown) => fail(session, toError(err).message || 'Access refused');
    let verdict: unknown;
    try {
      verdict = rule(session.connectHeaders, state.handle(session.connection));
    } catch (err) {
      return refused(err);
    }
    if (!isPromiseLike(verdict)) return decide(verdict);
    // Frames behind the CONNECT wait until the hook decides.
    session.held = [];
    Promise.resolve(verdict)
      .then(decide, refused)
      .finally(() => {
        const held = session.held ?? [];
        session.held = undefined;
        run(session, held, message);
      })
      .catch((err: unknown) => host.report(toError(err), session.connection));
  };

  const execute = (session: StompSession, frame: StompFrame, message: Message) => {
    const { command } = frame;
    if (!CLIENT_COMMANDS.has(command) || (command === 'NACK' && session.version === '1.0')) throw new StompError(`unknown command "${command.slice(0, 20)}"`);
    if (command === 'CONNECT' || command === 'STOMP') return connect(session, frame, message);
    if (session.phase !== 'connected') throw new StompError(`${command} before CONNECT: the first frame must be CONNECT or STOMP`);
    switch (command) {
      case 'SEND':
        required(frame, 'destination');
        inTransaction(session, frame, () => deliverSend(session, frame, message));
        break;
      case 'SUBSCRIBE': {
        const destination = required(frame, 'destination');
        const id = session.version === '1.0' ? (frame.headers.id ?? destination) : required(frame, 'id');
        const ack = frame.headers.ack ?? 'auto';
        if (!ACK_MODES.has(ack)) throw new StompError(`ack "${ack}" is not a mode (auto, client, client-individual)`);
        if (session.subscriptions.has(id)) throw new StompError(`subscription id "${id}" is already in use on this connection`);
        state.subscribe(session, id, destination, ack as StompAckMode, frame.headers);
        break;
      }
      case 'UNSUBSCRIBE': {
        const id = session.version === '1.0' ? (frame.headers.id ?? frame.headers.destination) : required(frame, 'id');
        if (id === undefined) throw new StompError('UNSUBSCRIBE needs an "id" or "destination" header');
        const core = session.subscriptions.get(id);
        if (core) state.unsubscribe(core);
        break;
      }
      case 'ACK':
      case 'NACK': {
        const id = required(frame, session.version === '1.2' ? 'id' : 'message-id');
        const ack = Object.freeze({ kind: command === 'ACK' ? ('ack' as const) : ('nack' as const), id, subscription: frame.headers.subscription, transaction: frame.headers.transaction, connectionId: session.connection.id });
        inTransaction(session, frame, () => session.recordAck(ack));
        break;
      }
      case 'BEGIN': {
        const name = required(frame, 'transaction');
        if (session.transactions.has(name)) throw new StompError(`transaction "${name}" is already open`);
        session.transactions.set(name, []);
        break;
      }
      case 'COMMIT':
      case 'ABORT': {
        const name = required(frame, 'transaction');
        const held = session.transactions.get(name);
        if (!held) throw new StompError(`${command} of transaction "${name}", which is not open`);
        session.transactions.delete(name);
        if (command === 'COMMIT') for (const action of held) action();
        break;
      }
      case 'DISCONNECT': {
        const receipt = frame.headers.receipt;
        session.phase = 'closed';
        session.stopHeartBeats();
        if (receipt !== undefined) writeFrame(session.connection, session.version, 'RECEIPT', { 'receipt-id': receipt });
        session.connection.close({ code: 1000, reason: 'DISCONNECT' }).catch(() => {});
        return;
      }
    }
    const receipt = frame.headers.receipt;
    if (receipt !== undefined && session.phase === 'connected') writeFrame(session.connection, session.version, 'RECEIPT', { 'receipt-id': receipt });
  };

  const run = (session: StompSession, items: readonly ParsedItem[], message: Message) => {
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      if (session.phase === 'closed') return;
      if (item.kind === 'heartbeat') continue;
      if (item.kind === 'error') return fail(session, item.message);
      try {
        execute(session, item.frame, message);
      } catch (err) {
        if (!(err instanceof StompError)) throw err;
        return fail(session, err.message, item.frame);
      }
      // An async CONNECT hook: the rest waits with what comes after.
      if (session.held) {
        session.held.push(...items.slice(i + 1));
        return;
      }
    }
  };

  const feed = (session: StompSession, chunk: Buffer, message: Message) => {
    const items = session.parser.push(chunk);
    if (session.held) session.held.push(...items);
    else run(session, items, message);
  };

  return {
    name: 'stomp',
    connect(connection: Connection) {
      state.session(connection);
    },
    inbound({ connection, message }) {
      const session = state.session(connection);
      if (session.phase === 'closed') return true;
      session.touched();
      feed(session, typeof message.data === 'string' ? Buffer.from(message.data) : message.data, message);
      return true;
    },
    disconnect(connection: Connection) {
      state.closed(state.session(connection));
    },
  };
}

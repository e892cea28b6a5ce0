//
// The Phoenix stage: every inbound frame is a Phoenix message, decoded with
// the serializer the client asked for, then dispatched as Phoenix.Socket
// does: `heartbeat` on topic `phoenix`, `phx_join` (a route's answer, the
// flavour's, or the test's), `phx_leave`, and pushes on joined channels (the
// flavour, the route's `events`, else held for the test). A frame the
// serializer cannot read crashes a real socket: the mock closes with 1011 and
// says why. Nothing here ever throws into the server.
//
import { randomOf, type Connection, type KitHost, type Stage, type TemplateScope } from '../../kit/index.js';
import { isPromiseLike } from '../../util/promise.js';
import { toError } from '../../util/toError.js';
import { answerJoin, ChannelState, endChannel, PhoenixChannel } from './PhoenixChannel.js';
import { PhoenixPush, PushState } from './PhoenixPush.js';
import { compileJoin, type CompiledJoin, type CompiledRoute, type PhoenixTemplateVars, type Routes } from './routes.js';
import { BinaryKind, decodeBinary, decodeText, vsnOf, type Decoded, type PhoenixMessage } from './serializer.js';
import type { PhoenixSession } from './session.js';
import type { PhoenixState } from './state.js';
import type { PhoenixReplySpec } from './types.js';

/** 1011: what a crashed Phoenix socket process closes with. */
const SERVER_ERROR = 1011;
/** The longest close reason a close frame carries. */
const MAX_REASON = 123;

/** Phoenix.Socket's answer to a join, or a message, on a topic no channel serves (a reply to the ref, without a join ref). */
const UNMATCHED = { reason: 'unmatched topic' };
/** Phoenix's answer to a join whose `join/3` raised. */
const JOIN_CRASHED = { reason: 'join crashed' };

function closeReason(problem: string): string {
  const reason = `invalid message: ${problem}`;
  return Buffer.byteLength(reason) <= MAX_REASON ? reason : `${Buffer.from(reason).subarray(0, MAX_REASON - 3).toString('utf8').replace(/\uFFFD$/, '')}...`;
}

/** What one version of a Phoenix mock does with frames. */
export function phoenixStage(options: { routes: Routes; state: PhoenixState; host: KitHost }): Stage {
  const { routes, state, host } = options;

  const report = (session: PhoenixSession) => (err: unknown) => host.report(toError(err), session.connection);

  const scopeOf = (session: PhoenixSession): TemplateScope => ({
    connection: session.connection,
    message: undefined,
    connectionCount: host.connectionCount,
    sequence: ++session.sequence,
    uuid: () => randomOf(session.connection).uuid(),
  });

  const varsOf = (session: PhoenixSession, message: PhoenixMessage): PhoenixTemplateVars => ({
    topic: message.topic,
    event: message.event,
    payload: message.payload,
    params: session.params,
  });

  const decode = (session: PhoenixSession, raw: Buffer, binary: boolean): Decoded => {
    if (!binary) return decodeText(raw.toString('utf8'), session.vsn);
    if (session.vsn !== '2.0.0') return { problem: 'vsn 1.0.0 has no binary frames' };
    if (raw[0] !== BinaryKind.push) {
      const message = state.flavour.decodeBinary?.(raw);
      if (message) return { message };
    }
    return decodeBinary(raw);
  };

  const join = (session: PhoenixSession, message: PhoenixMessage): void => {
    const { topic } = message;
    const flavourFirst = state.flavour.join !== undefined;
    const route: CompiledRoute | undefined = routes.match(topic);
    if (!route && !flavourFirst) {
      session.reply(topic, null, message.ref, 'error', UNMATCHED).catch(report(session));
      return;
    }
    // A second join of a topic closes the channel joined before, as Phoenix does ("duplicate channel join").
    const previous = session.channels.get(topic);
    const channelState = new ChannelState({ session, hub: state, joinMessageRef: message.ref, group: state.group });
    const init = { topic, payload: message.payload, joinRef: message.joinRef, connection: session.connection, state: channelState };
    const channel = state.flavour.channel?.(init) ?? new PhoenixChannel(init);
    let decision: CompiledJoin | undefined;
    try {
      const spec = state.flavour.join?.(channel);
      // A flavour's answer goes as it is: it may carry what the client sent, which is no template.
      decision = spec === undefined ? route?.join : spec === 'manual' ? compileJoin(spec) : { kind: 'answer', render: () => ({ status: spec.status, response: spec.response ?? {} }) };
    } catch (err) {
      report(session)(err);
      session.reply(topic, message.joinRef, message.ref, 'error', JOIN_CRASHED).catch(report(session));
      return;
    }
    if (!decision) {
      session.reply(topic, null, message.ref, 'error', UNMATCHED).catch(report(session));
      return;
    }
    if (previous) endChannel(previous, stateOf(previous), 'phx_close').catch(report(session));
    session.channels.set(topic, channel);
    channelStates.set(channel, channelState);
    state.recordJoin(session, channel);
    if (decision.kind === 'handler') {
      try {
        decision = compileJoin(decision.handler(channel));
      } catch (err) {
        report(session)(err);
        answerJoin(channel, channelState, 'error', JOIN_CRASHED).catch(report(session));
        return;
      }
    }
    if (decision.kind === 'manual') {
      channelState.manual = true;
      return;
    }
    if (decision.kind !== 'answer') return;
    let answer: { status: string; response: unknown };
    try {
      answer = decision.render(scopeOf(session), varsOf(session, message));
    } catch (err) {
      report(session)(err);
      answer = { status: 'error', response: JOIN_CRASHED };
    }
    answerJoin(channel, channelState, answer.status, answer.response).catch(report(session));
  };

  const push = (session: PhoenixSession, channel: PhoenixChannel, message: PhoenixMessage): void => {
    const pushState = new PushState((status, response) => session.reply(message.topic, message.joinRef, message.ref, status, response));
    const pushed = new PhoenixPush({ event: message.event, payload: message.payload, ref: message.ref, topic: message.topic, state: pushState });
    stateOf(channel).addPush(pushed);
    // A push without a ref awaits no reply (the client cannot match one): the configured answer is not sent.
    const sendReply = (reply: PhoenixReplySpec | undefined | void): void => {
      if (reply && !pushed.replied && pushed.ref !== null) pushed.reply(reply.status, reply.response ?? {}).catch(report(session));
    };
    try {
      if (state.flavour.push?.(pushed, channel)) return;
      const event = routes.match(message.topic)?.events.get(message.event);
      if (!event) return;
      if (event.kind === 'handler') {
        const result = event.handler(pushed, channel);
        if (isPromiseLike(result)) Promise.resolve(result).then(sendReply).catch(report(session));
        else sendReply(result);
        return;
      }
      if (event.reply) sendReply(event.reply(scopeOf(session), varsOf(session, message)));
      if (event.broadcast) state.broadcast(message.topic, message.event, message.payload);
    } catch (err) {
      report(session)(err);
    }
  };

  const dispatch = (session: PhoenixSession, message: PhoenixMessage): void => {
    const { topic, event } = message;
    if (topic === 'phoenix' && event === 'heartbeat') {
      session.reply(topic, null, message.ref, 'ok', {}).catch(report(session));
      return;
    }
    if (event === 'phx_join') {
      join(session, message);
      return;
    }
    const channel = session.channels.get(topic);
    if (event === 'phx_leave') {
      // Leaving a topic not joined is answered ok too; a joined one then closes.
      session.reply(topic, message.joinRef, message.ref, 'ok', {}).catch(report(session));
      if (channel) endChannel(channel, stateOf(channel), 'phx_close').catch(report(session));
      return;
    }
    if (!channel) {
      session.reply(topic, null, message.ref, 'error', UNMATCHED).catch(report(session));
      return;
    }
    push(session, channel, message);
  };

  return {
    name: 'phoenix',
    connect(connection: Connection) {
      state.session(connection, vsnOf(connection.query) ?? '2.0.0');
    },
    inbound({ connection, raw, binary }) {
      const session = state.session(connection);
      const decoded = decode(session, raw, binary);
      if ('problem' in decoded) {
        connection.close({ code: SERVER_ERROR, reason: closeReason(decoded.problem) }).catch(() => {});
        return true;
      }
      dispatch(session, decoded.message);
      return true;
    },
    disconnect(connection: Connection) {
      const session = state.session(connection);
      for (const channel of [...session.channels.values()]) endChannel(channel, stateOf(channel)).catch(() => {});
      session.wake();
    },
  };
}

/** The kit's side of each channel handle. */
const channelStates = new WeakMap<PhoenixChannel, ChannelState>();

function stateOf(channel: PhoenixChannel): ChannelState {
  return channelStates.get(channel)!;
}

//
// The Pusher stage: every frame of a connection is a Pusher event. The
// connection is greeted with `pusher:connection_established` (or, with an
// app key that is not the mock's, `pusher:error` 4001 and a close); then
// pings, subscriptions (public, private, presence: signatures checked when
// the mock has a secret), sign-ins and client events are answered as Pusher
// answers them. Nothing a client sends is ever thrown past this stage.
//
import type { Connection, KitHost, Stage } from '../../kit/index.js';
import type { ChannelRules } from './channels.js';
import type { PusherState } from './state.js';
import type { PusherSession } from './session.js';
import type { PusherMember, PusherMockConfig } from './types.js';
import {
  channelAuthText,
  channelKind,
  closeReason,
  CHANNEL_NAME_RULE,
  dataObject,
  encodeData,
  errorEvent,
  isChannelName,
  parseFrame,
  PusherErrorCode,
  serverEvent,
  userAuthText,
  USER_CHANNEL_PREFIX,
  verifyAuth,
  type PusherInbound,
} from './protocol.js';
import { fanOut, write } from './wire.js';

/** Pusher's default `activity_timeout`, seconds. */
export const DEFAULT_ACTIVITY_TIMEOUT = 120;
/** Pusher's limit on a client event's data, bytes. */
export const DEFAULT_MAX_EVENT_SIZE = 10_240;

/** What one version of a Pusher mock answers with. */
export interface PusherStageOptions {
  readonly config: PusherMockConfig;
  readonly rules: ChannelRules;
  readonly state: PusherState;
  readonly host: KitHost;
}

/** The frames of one version of a Pusher mock. */
export function pusherStage({ config, rules, state, host }: PusherStageOptions): Stage {
  const { key, secret } = config;
  const maxEventSize = config.maxEventSize ?? DEFAULT_MAX_EVENT_SIZE;

  const error = (session: PusherSession, code: number | null, message: string, channel?: string) => write(session.connection, errorEvent(code, message, channel));
  const invalid = (session: PusherSession, reason: string) => error(session, PusherErrorCode.INVALID_MESSAGE, `Invalid message format: ${reason}`);

  /** Why a subscription's auth is refused, or undefined when it is accepted. */
  const authProblem = (session: PusherSession, channel: string, auth: unknown, channelData: string | undefined): string | undefined => {
    if (typeof auth !== 'string' || auth === '') return `Auth value for subscription to ${channel} is required`;
    if (secret === undefined) return undefined;
    if (!auth.startsWith(`${key}:`)) return `Invalid key in subscription auth data: '${auth.split(':')[0]}'`;
    const text = channelAuthText(session.socketId, channel, channelData);
    return verifyAuth(auth, key, secret, text) ? undefined : `Invalid signature: Expected HMAC SHA256 hex digest of ${text}, but got ${auth.slice(key.length + 1)}`;
  };

  /** The presence member a subscription's channel_data names, or why it names none. */
  const memberOf = (channelData: unknown): PusherMember | string => {
    if (typeof channelData !== 'string') return 'channel_data is required on a presence channel: a JSON string with a user_id';
    let value: unknown;
    try {
      value = JSON.parse(channelData);
    } catch {
      return 'channel_data must be a JSON string';
    }
    const userId = (value as { user_id?: unknown } | null)?.user_id;
    if ((typeof userId !== 'string' || userId === '') && typeof userId !== 'number') return 'channel_data must hold a user_id (a string or a number)';
    const info = (value as { user_info?: unknown }).user_info;
    return info === undefined ? { user_id: String(userId) } : { user_id: String(userId), user_info: info };
  };

  const subscribe = (session: PusherSession, data: unknown) => {
    const body = dataObject(data);
    const channel = body?.channel;
    if (!isChannelName(channel)) {
      invalid(session, `pusher:subscribe needs data.channel, a channel name (${CHANNEL_NAME_RULE}); got ${JSON.stringify(channel) ?? 'nothing'}`);
      return;
    }
    const rule = rules.rule(channel);
    if (rule?.refuse) {
      const refusal = rule.refuse === true ? {} : rule.refuse;
      error(session, refusal.code ?? PusherErrorCode.UNAUTHORIZED, refusal.message ?? `Subscription to ${channel} refused by the mock`, channel);
      return;
    }
    const kind = channelKind(channel);
    let member: PusherMember | undefined;
    if (kind === 'user') {
      // Pusher serves a user's own channel to the connection signed in as that user, and to nobody else.
      if (session.user === undefined || String(session.user.id) !== channel.slice(USER_CHANNEL_PREFIX.length)) {
        error(session, PusherErrorCode.UNAUTHORIZED, `Subscription to ${channel} needs a sign-in as that user`, channel);
        return;
      }
    } else if (kind !== 'public') {
      const channelData = kind === 'presence' && typeof body!.channel_data === 'string' ? body!.channel_data : undefined;
      const problem = authProblem(session, channel, body!.auth, channelData);
      if (problem) {
        error(session, PusherErrorCode.UNAUTHORIZED, problem, channel);
        return;
      }
      if (kind === 'presence') {
        const found = memberOf(body!.channel_data);
        if (typeof found === 'string') {
          error(session, PusherErrorCode.UNAUTHORIZED, found, channel);
          return;
        }
        member = found;
      }
    }
    const preset = rules.preset(channel);
    const known = member !== undefined && state.hasUser(channel, member.user_id, preset, session.connection);
    const fresh = state.subscribe(session, channel, member);
    const succeeded = kind === 'presence' ? { presence: state.presence(channel, preset) } : {};
    write(session.connection, serverEvent('pusher_internal:subscription_succeeded', succeeded, channel));
    if (member && fresh && !known) {
      fanOut(state.subscribers(channel), serverEvent('pusher_internal:member_added', member.user_info === undefined ? { user_id: member.user_id } : member, channel), session.connection);
    }
    if (fresh) state.subscriptions.push(session.connection, { channel, socketId: session.socketId, ...(member ? { member } : {}), connection: state.handle(session.connection) });
  };

  const leave = (session: PusherSession, channel: string) => {
    const member = state.unsubscribe(session, channel);
    if (member && !state.hasUser(channel, member.user_id, rules.preset(channel), session.connection)) {
      fanOut(state.subscribers(channel), serverEvent('pusher_internal:member_removed', { user_id: member.user_id }, channel), session.connection);
    }
  };

  const unsubscribe = (session: PusherSession, data: unknown) => {
    const channel = dataObject(data)?.channel;
    if (!isChannelName(channel)) {
      invalid(session, `pusher:unsubscribe needs data.channel, a channel name (${CHANNEL_NAME_RULE}); got ${JSON.stringify(channel) ?? 'nothing'}`);
      return;
    }
    leave(session, channel);
  };

  const signin = (session: PusherSession, data: unknown) => {
    const body = dataObject(data);
    const userData = body?.user_data;
    if (typeof body?.auth !== 'string' || typeof userData !== 'string') {
      invalid(session, 'pusher:signin needs data.auth and data.user_data (a JSON string)');
      return;
    }
    let user: unknown;
    try {
      user = JSON.parse(userData);
    } catch {
      user = undefined;
    }
    const id = (user as { id?: unknown } | undefined)?.id;
    if (typeof user !== 'object' || user === null || (typeof id !== 'string' && typeof id !== 'number') || id === '') {
      error(session, PusherErrorCode.UNAUTHORIZED, 'user_data must be a JSON object with an id');
      return;
    }
    if (secret !== undefined && !verifyAuth(body.auth, key, secret, userAuthText(session.socketId, userData))) {
      error(session, PusherErrorCode.UNAUTHORIZED, `Invalid signature: Expected HMAC SHA256 hex digest of ${userAuthText(session.socketId, userData)}`);
      return;
    }
    session.user = user as Record<string, unknown>;
    write(session.connection, serverEvent('pusher:signin_success', { user_data: userData }));
  };

  const clientEvent = (session: PusherSession, frame: PusherInbound) => {
    const { event, channel, data } = frame;
    if (config.clientEvents === false) {
      error(session, PusherErrorCode.CLIENT_EVENT_REJECTED, 'The app does not have client messaging enabled.', channel);
      return;
    }
    if (!isChannelName(channel)) {
      invalid(session, `a client event needs "channel", a channel name (${CHANNEL_NAME_RULE})`);
      return;
    }
    if (channelKind(channel) === 'public' || channelKind(channel) === 'user') {
      error(session, PusherErrorCode.CLIENT_EVENT_REJECTED, 'Client event rejected - only supported on private and presence channels', channel);
      return;
    }
    if (!session.channels.has(channel)) {
      error(session, PusherErrorCode.UNAUTHORIZED, 'The client is not a member of the specified channel.', channel);
      return;
    }
    const size = Buffer.byteLength(encodeData(data));
    if (size > maxEventSize) {
      error(session, PusherErrorCode.CLIENT_EVENT_REJECTED, `Client event rejected: its data is ${size} bytes, over the limit of ${maxEventSize}`, channel);
      return;
    }
    const userId = session.channels.get(channel)?.user_id;
    const forwarded: Record<string, unknown> = { event, channel, data };
    if (userId !== undefined) forwarded.user_id = userId;
    // Pusher never echoes a client event to its sender.
    fanOut(state.subscribers(channel), forwarded, session.connection);
    state.clientEvents.push(session.connection, { event, channel, data: decoded(data), socketId: session.socketId, ...(userId !== undefined ? { userId } : {}), connection: state.handle(session.connection) });
    const reply = rules.rule(channel)?.replies?.[event];
    if (reply) {
      const value = serverEvent(reply.event, reply.data === undefined ? data ?? {} : reply.data, channel);
      const to = reply.to ?? 'sender';
      if (to === 'sender') write(session.connection, value);
      else fanOut(state.subscribers(channel), value, to === 'others' ? session.connection : undefined);
    }
  };

  const dispatch = (session: PusherSession, frame: PusherInbound) => {
    switch (frame.event) {
      case 'pusher:ping':
        write(session.connection, { event: 'pusher:pong', data: {} });
        return;
      case 'pusher:pong':
        return;
      case 'pusher:subscribe':
        subscribe(session, frame.data);
        return;
      case 'pusher:unsubscribe':
        unsubscribe(session, frame.data);
        return;
      case 'pusher:signin':
        signin(session, frame.data);
        return;
    }
    if (frame.event.startsWith('client-')) clientEvent(session, frame);
    else if (frame.event.startsWith('pusher:') || frame.event.startsWith('pusher_internal:')) invalid(session, `unknown event "${frame.event}"`);
    // Any other event from a client is ignored, as Pusher and Reverb ignore it (it is in the journal).
  };

  return {
    name: 'pusher',
    connect(connection: Connection) {
      const session = state.session(connection);
      const given = connection.params.key;
      if (given !== undefined && given !== key) {
        session.accepted = false;
        const message = `App key ${given} does not exist.`;
        write(connection, errorEvent(PusherErrorCode.APP_NOT_FOUND, message));
        connection.close({ code: PusherErrorCode.APP_NOT_FOUND, reason: closeReason(message) }).catch((err: unknown) => host.report(err as Error, connection));
        return;
      }
      const activity = config.activityTimeout ?? DEFAULT_ACTIVITY_TIMEOUT;
      write(connection, serverEvent('pusher:connection_established', { socket_id: session.socketId, activity_timeout: activity }));
    },
    inbound({ connection, message }) {
      const session = state.session(connection);
      if (!session.accepted) return true;
      if (message.binary || message.text === undefined) {
        invalid(session, 'binary frames are not part of the protocol');
        return true;
      }
      const parsed = parseFrame(message.text);
      if (parsed.kind === 'invalid') invalid(session, parsed.reason);
      else dispatch(session, parsed.frame);
      return true;
    },
    disconnect(connection: Connection) {
      const session = state.session(connection);
      for (const channel of [...session.channels.keys()]) leave(session, channel);
      state.subscriptions.of(connection).notify();
      state.clientEvents.of(connection).notify();
    },
  };
}

/** A client event's data as pusher-js hands it to listeners: a JSON string decoded, anything else as it came. */
function decoded(data: unknown): unknown {
  if (typeof data !== 'string') return data;
  try {
    return JSON.parse(data);
  } catch {
    return data;
  }
}

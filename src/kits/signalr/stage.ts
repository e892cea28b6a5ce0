//
// The SignalR stage: the handshake (the first message, JSON ended by the
// record separator, picking the hub protocol), then every hub message a
// client sends, read by the protocol's reader and answered as an ASP.NET
// Core hub answers it: invocations run the mock's methods (a result, an
// error, a stream), the client's streams and client results are fed back
// to whoever waits for them, cancellations stop streams. A message the
// server cannot read ends the connection with an error Close, as the real
// server does; nothing a client sends is ever thrown past this stage.
//
import { deliver, invalidArgument, randomOf, type Connection, type KitHost, type Message, type Stage, type TemplateScope } from '../../kit/index.js';
import { parseDuration } from '../../util/duration.js';
import { toError } from '../../util/toError.js';
import { jsonCodec, type HubCodec } from './codec.js';
import type { CompiledMethod, RenderedAnswer } from './methods.js';
import { loadMessagePack } from './msgpack.js';
import { closeError, MessageType, parseHandshake, tooLarge, type HubMessage, type InvocationMessage } from './protocol.js';
import { handshakeFrame, type HubSession } from './session.js';
import { isAsyncIterable, messageOf, streamOut } from './streamOut.js';
import { SignalRInvocation, type InvocationAnswer } from './SignalRConnection.js';
import { fanOut, type SignalRState } from './state.js';
import type { SignalRMockConfig, SignalRProtocolName } from './types.js';
import { MAX_HELD } from './UploadStream.js';

/** ASP.NET Core's `KeepAliveInterval`: 15 s. */
export const DEFAULT_PING_INTERVAL = 15_000;
/** ASP.NET Core's `MaximumReceiveMessageSize`: 32 KB. */
export const DEFAULT_MAX_MESSAGE = 32 * 1024;
/** The highest version of either hub protocol a client may ask for (2: stateful reconnect's). */
const MAX_VERSION = 2;
/** The most frames held while the MessagePack codec loads (a client sends nothing before the handshake's answer). */
const MAX_HELD_FRAMES = 64;

type Lookup = (target: string) => CompiledMethod | undefined;

/** What one version of a SignalR mock answers with. */
export interface SignalRStageOptions {
  readonly config: SignalRMockConfig;
  readonly methods: Lookup;
  readonly state: SignalRState;
  readonly host: KitHost;
}

/** The frames of one version of a SignalR mock. */
export function signalRStage({ config, methods, state, host }: SignalRStageOptions): Stage {
  const protocols = new Set<SignalRProtocolName>(config.protocols ?? ['json', 'messagepack']);
  const pingMs = parseDuration(config.pingInterval) ?? DEFAULT_PING_INTERVAL;
  const limit = config.maximumReceiveMessageSize ?? DEFAULT_MAX_MESSAGE;

  const closeQuietly = (connection: Connection) => {
    connection.close().catch((err: unknown) => host.report(toError(err), connection));
  };

  /** Ends the connection as the server does on a message it cannot read: an error Close, then the close. */
  const fail = (session: HubSession, reason: string) => {
    if (session.phase === 'ended') return;
    if (session.open) session.send({ type: MessageType.Close, error: closeError(reason), allowReconnect: true });
    session.phase = 'ended';
    closeQuietly(session.connection);
  };

  /** Sends `message` when the connection can still take it. */
  const reply = (session: HubSession, message: HubMessage) => {
    if (session.open) session.send(message);
  };

  const scopeOf = (session: HubSession, message: Message): TemplateScope => ({
    connection: session.connection,
    message,
    connectionCount: host.connectionCount,
    sequence: ++session.sequence,
    uuid: () => randomOf(session.connection).uuid(),
  });

  // ---- the handshake ----

  const refuse = (session: HubSession, error: string) => {
    session.refuse();
    const { connection } = session;
    if (!connection.isOpen) return;
    deliver(connection, handshakeFrame(error, false), () => closeQuietly(connection));
  };

  const accept = (session: HubSession, codec: HubCodec, rest: Buffer, frame: Message) => {
    const { connection } = session;
    if (!connection.isOpen || session.phase === 'ended') return;
    deliver(connection, handshakeFrame(undefined, codec.binary));
    session.accept(codec, codec.reader(limit), pingMs);
    state.ready.add(session);
    if (rest.length > 0) read(session, codec.binary ? rest : rest.toString('utf8'), frame);
    for (const held of session.held.splice(0)) {
      if (session.phase !== 'open') break;
      read(session, held.data, held);
    }
  };

  const handshake = (session: HubSession, frame: Message) => {
    const data = frame.data;
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    const buffer = session.handshake.length === 0 ? bytes : Buffer.concat([session.handshake, bytes]);
    const end = buffer.indexOf(0x1e);
    if (end < 0) {
      if (buffer.length > limit) refuse(session, `An unexpected error occurred during connection handshake. InvalidDataException: ${tooLarge(limit)}`);
      else session.handshake = buffer;
      return;
    }
    session.handshake = Buffer.alloc(0);
    const request = parseHandshake(buffer.subarray(0, end).toString('utf8'));
    if (typeof request === 'string') return refuse(session, request);
    const { protocol, version } = request;
    if (!protocols.has(protocol as SignalRProtocolName)) return refuse(session, `The protocol '${protocol}' is not supported.`);
    if (version > MAX_VERSION) return refuse(session, `The server does not support version ${version} of the '${protocol}' protocol.`);
    const rest = Buffer.from(buffer.subarray(end + 1));
    if (protocol === 'json') return accept(session, jsonCodec, rest, frame);
    session.phase = 'loading';
    loadMessagePack().then(
      (codec) => accept(session, codec, rest, frame),
      (err: unknown) => {
        host.report(new Error(`signalr: the MessagePack hub protocol could not load: ${messageOf(err)}`, { cause: err }), session.connection);
        refuse(session, 'The MessagePack hub protocol could not load on the mock.');
      },
    );
  };

  // ---- invocations ----

  /** Runs a declarative method's sends, then answers with its outcome. */
  const answerSpec = (session: HubSession, invocation: InvocationMessage, answer: RenderedAnswer, complete: (value: unknown) => void, error: (message: string) => void) => {
    for (const send of answer.sends) {
      const message: HubMessage = { type: MessageType.Invocation, target: send.target, arguments: Array.isArray(send.args) ? send.args : [send.args] };
      if (send.group !== undefined) fanOut(state.members(send.group), message);
      else if (send.to === 'caller') reply(session, message);
      else fanOut(state.ready, message, send.to === 'others' ? session : undefined);
    }
    const { outcome } = answer;
    if (outcome.kind === 'error') return error(outcome.message);
    if (outcome.kind === 'stream') {
      if (invocation.type !== MessageType.StreamInvocation) return error(`The client attempted to invoke the streaming '${invocation.target}' method with a non-streaming invocation.`);
      return void streamOut(session, invocation.invocationId!, Array.isArray(outcome.items) ? outcome.items : [outcome.items]);
    }
    complete(outcome.value);
  };

  const invoke = (session: HubSession, invocation: InvocationMessage, message: Message) => {
    const { connection } = session;
    const { target, invocationId } = invocation;
    const streaming = invocation.type === MessageType.StreamInvocation;
    const uploads = session.openUploads(invocation.streamIds);
    const method = methods(target);
    const handle = state.handle(connection);
    let answered = false;
    let cancelled = false;

    // A manual stream's cancel hook goes once it is answered; a function's stream removes its own.
    const settle = () => {
      answered = true;
      if (streaming && method?.kind === 'manual') session.outgoing.delete(invocationId!);
    };
    const complete = (result: unknown) => {
      settle();
      if (invocationId === undefined) return;
      const hasResult = !streaming && result !== undefined;
      reply(session, { type: MessageType.Completion, invocationId, hasResult, ...(hasResult ? { result } : {}) });
    };
    const error = (text: string) => {
      settle();
      if (invocationId !== undefined) reply(session, { type: MessageType.Completion, invocationId, error: text, hasResult: false });
    };

    const answer: InvocationAnswer = {
      manual: method?.kind === 'manual',
      problem(action) {
        if (cancelled) return invalidArgument(`${action}(): the client cancelled the stream of "${target}" (invocation ${invocationId})`);
        if (answered) return invalidArgument(`${action}(): the invocation of "${target}" is already answered`);
        return session.closedError(action);
      },
      complete: async (result) => complete(result),
      fail: async (text) => error(text),
      item: (value) => session.post({ type: MessageType.StreamItem, invocationId: invocationId!, item: value }, 'item'),
    };
    if (streaming && method?.kind === 'manual') {
      session.outgoing.set(invocationId!, () => {
        cancelled = true;
        session.outgoing.delete(invocationId!);
      });
    }
    state.invocations.push(connection, new SignalRInvocation({ target, arguments: invocation.arguments, invocationId, streaming, streams: uploads, connection: handle, answer }));

    if (!method) return error(`Failed to invoke '${target}' due to an error on the server. HubException: Method does not exist.`);
    if (method.kind === 'manual') return;
    if (method.kind === 'spec') {
      const rendered = method.render(scopeOf(session, message), { target, arguments: invocation.arguments, connectionId: session.connectionId });
      return answerSpec(session, invocation, rendered, complete, error);
    }
    let returned: unknown;
    try {
      returned = method.handler(...invocation.arguments, ...uploads, handle);
    } catch (err) {
      return failed(err);
    }
    Promise.resolve(returned).then(
      (value) => {
        if (streaming) {
          if (isAsyncIterable(value) || Array.isArray(value)) return streamOut(session, invocationId!, value);
          return error(`The client attempted to invoke the non-streaming '${target}' method with a streaming invocation.`);
        }
        if (isAsyncIterable(value)) {
          Promise.resolve(value[Symbol.asyncIterator]().return?.()).catch(() => {});
          return error(`The client attempted to invoke the streaming '${target}' method with a non-streaming invocation.`);
        }
        return complete(value);
      },
      failed,
    );

    function failed(err: unknown) {
      // A `send()` has nobody to tell: the error goes where a server would log it.
      if (invocationId === undefined) host.report(new Error(`signalr: method "${target}" failed on ${connection.id}: ${messageOf(err)}`, { cause: err }), connection);
      error(messageOf(err));
    }
  };

  // ---- messages ----

  const dispatch = (session: HubSession, message: HubMessage, frame: Message) => {
    switch (message.type) {
      case MessageType.Invocation:
      case MessageType.StreamInvocation:
        return invoke(session, message, frame);
      case MessageType.StreamItem: {
        const upload = session.uploads.get(message.invocationId);
        if (upload && !upload.push(message.item)) fail(session, `The stream '${message.invocationId}' holds ${MAX_HELD} items its method has not read.`);
        return;
      }
      case MessageType.Completion:
        session.complete(message.invocationId, message.error, message.result);
        return;
      case MessageType.CancelInvocation:
        session.outgoing.get(message.invocationId)?.();
        return;
      case MessageType.Close:
        session.phase = 'ended';
        closeQuietly(session.connection);
        return;
      default:
        // Ping, and Ack/Sequence of a stateful reconnect the mock does not offer: nothing to answer.
        return;
    }
  };

  const read = (session: HubSession, data: string | Buffer, frame: Message) => {
    const result = session.reader!.read(data);
    for (const item of result.messages) {
      if (session.phase !== 'open') return;
      if (item.kind === 'invalid') return fail(session, item.reason);
      if (item.kind === 'message') dispatch(session, item.message, frame);
    }
    if (result.failure) fail(session, result.failure);
  };

  return {
    name: 'signalr',
    connect(connection) {
      state.handle(connection);
    },
    inbound({ connection, message }) {
      const session = state.session(connection);
      switch (session.phase) {
        case 'handshake':
          handshake(session, message);
          break;
        case 'loading':
          if (session.held.length >= MAX_HELD_FRAMES) refuse(session, 'Too many frames before the handshake completed.');
          else session.held.push(message);
          break;
        case 'open':
          read(session, message.data, message);
          break;
        default:
          break;
      }
      return true;
    },
    disconnect(connection) {
      const session = state.session(connection);
      state.ready.delete(session);
      for (const group of [...session.groups]) state.leave(session, group);
      session.close();
      state.invocations.of(connection).notify();
    },
  };
}

//
// What one version of an ActionCable mock does with a connection: `welcome`
// when it opens and a ping every `pingInterval` after; each command the
// client sends executed as Rails' Subscriptions#execute_command does
// (subscribe, unsubscribe, message), and anything it cannot execute ignored
// with its reason noted (Rails logs it; the client hears nothing and the
// connection stays open). A channel's actions answer from its config.
//
import { randomOf, type Connection, type KitHost, type Message, type Stage, type TemplateScope } from '../../kit/index.js';
import { isPromiseLike } from '../../util/promise.js';
import { toError } from '../../util/toError.js';
import type { ChannelView, CompiledChannel } from './channels.js';
import { parseCommand, WELCOME } from './protocol.js';
import type { CableSession } from './session.js';
import type { ActionCableState } from './state.js';
import type { SubscriptionCore } from './subscription.js';
import type { ActionCableActionHandler } from './types.js';

/** What one version of an ActionCable mock does with frames. */
export function actionCableStage(options: { channel: (name: string) => CompiledChannel | undefined; pingInterval: number; state: ActionCableState; host: KitHost }): Stage {
  const { channel: channelOf, pingInterval, state, host } = options;

  const scopeOf = (session: CableSession, message: Message | undefined): TemplateScope => ({
    connection: session.connection,
    message,
    connectionCount: host.connectionCount,
    sequence: ++session.sequence,
    uuid: () => randomOf(session.connection).uuid(),
  });

  // A write that fails can only be the client going away meanwhile: reported, never left unhandled.
  const settle = (session: CableSession, written: Promise<void>) => {
    written.catch((err: unknown) => {
      if (session.connection.isOpen) host.report(toError(err), session.connection);
    });
  };

  const subscribe = (session: CableSession, message: Message, command: { identifier: string; channel: string; params: Record<string, unknown> }) => {
    // The client resends a subscribe every 0.5 s until it is answered: Rails ignores a repeat of a live one, silently.
    if (session.table.has(command.identifier)) return;
    const channel = channelOf(command.channel);
    if (!channel) {
      session.ignore(`no channel matches ${JSON.stringify(command.channel)} (Rails: "Subscription class not found"); list it in channels, or '*' to answer every channel`);
      return;
    }
    const core = state.subscribe(session, command);
    switch (channel.subscribe) {
      case 'confirm':
        core.declare(streamsOf(channel, session, message, core));
        settle(session, core.confirm());
        return;
      case 'reject':
        settle(session, core.reject());
        return;
      case 'manual':
        core.declare(streamsOf(channel, session, message, core));
    }
  };

  const streamsOf = (channel: CompiledChannel, session: CableSession, message: Message, core: SubscriptionCore) =>
    channel.streams(scopeOf(session, message), { channel: core.channel, params: core.params });

  const perform = (session: CableSession, message: Message, core: SubscriptionCore, action: string, data: Record<string, unknown>) => {
    core.performed(Object.freeze({ action, data }));
    const answer = channelOf(core.channel)?.action(action);
    if (!answer) return;
    const view: ChannelView = { channel: core.channel, params: core.params, action, data };
    let outcome;
    try {
      outcome = answer(scopeOf(session, message), view);
    } catch (err) {
      host.report(toError(err), session.connection);
      return;
    }
    switch (outcome.kind) {
      case 'transmit':
        return settle(session, core.transmit(outcome.message));
      case 'broadcast':
        state.broadcast(outcome.stream, outcome.message);
        return;
      case 'handler':
        return runHandler(session, core, outcome.handler, data);
    }
  };

  /** The test's action: what it returns (or resolves with), unless undefined, is transmitted; a failure is reported. */
  const runHandler = (session: CableSession, core: SubscriptionCore, handler: ActionCableActionHandler, data: Record<string, unknown>) => {
    const answer = (value: unknown) => {
      if (value !== undefined && core.live && session.connection.isOpen) settle(session, core.transmit(value));
    };
    const failed = (err: unknown) => host.report(new Error(`ActionCable action ${core.channel}#${String(data.action ?? 'receive')} failed on ${session.connection.id}: ${toError(err).message}`, { cause: err }), session.connection);
    let result: unknown;
    try {
      result = handler(data, state.subscriptionOf(core));
    } catch (err) {
      return failed(err);
    }
    if (isPromiseLike(result)) Promise.resolve(result).then(answer, failed);
    else answer(result);
  };

  return {
    name: 'actioncable',
    connect(connection: Connection) {
      const session = state.session(connection);
      session.connection.send(WELCOME).catch(() => {});
      session.startPinging(pingInterval);
    },
    inbound({ connection, message }) {
      const session = state.session(connection);
      const command = parseCommand(message.binary ? undefined : message.text);
      switch (command.command) {
        case 'ignored':
          session.ignore(command.reason);
          break;
        case 'subscribe':
          subscribe(session, message, command);
          break;
        case 'unsubscribe': {
          const core = session.table.get(command.identifier);
          if (core) core.end('unsubscribed');
          else session.ignore(`unsubscribe: no subscription with identifier ${JSON.stringify(command.identifier)}`);
          break;
        }
        case 'message': {
          const core = session.table.get(command.identifier);
          if (core) perform(session, message, core, command.action, command.data);
          else session.ignore(`message: no subscription with identifier ${JSON.stringify(command.identifier)}`);
          break;
        }
      }
      return true;
    },
    disconnect(connection: Connection) {
      state.session(connection).close();
    },
  };
}

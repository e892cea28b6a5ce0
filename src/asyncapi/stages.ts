//
// A contract mock's two stages, added by the contract layer (layer.ts).
// `contract` comes first: it checks every frame the client sends against the
// messages the server receives on the mock's channels, and every frame the
// server sends against those it sends (replies included), counts what fits,
// journals what does not, and in `strict` mode answers (or closes on) a bad
// client frame instead of passing it on. `contractReply` comes last, where
// echo would be: what nothing else handled and whose operation declares a
// reply is answered from the contract. A frame is parsed at most once (the
// journal's parse is reused) and one that fits makes no object.
//
import { kCore, type Connection } from '../connections/Connection.js';
import { encodeSendData, type OutboundFrame } from '../connections/encode.js';
import type { SendData } from '../connections/types.js';
import { parseJson } from '../connections/Message.js';
import type { InboundFrame, Stage, StageContext } from '../pipeline/stage.js';
import { CloseCode } from '../util/closeCodes.js';
import { cloneConfig } from '../util/clone.js';
import { isPromiseLike } from '../util/promise.js';
import { toError } from '../util/toError.js';
import type { BoundContract, Direction } from './binding.js';
import type { MockBinding, ServerContracts } from './contracts.js';
import type { ContractError, ContractMessage, ContractOperation } from './model.js';
import type { ContractViolation } from './types.js';
import { closeReason, frameText, rootError } from './violations.js';
import { setContractMessages } from '../util/contractMessages.js';

/** An inbound frame that fit a message whose operation declares a reply. */
interface PendingReply {
  readonly operation: ContractOperation;
  readonly message: ContractMessage;
  readonly payload: unknown;
}

/** Frames the check stage found a reply for, until the reply stage sees them. */
export type Pending = WeakMap<InboundFrame, PendingReply>;

const NOT_JSON = rootError('must be JSON: the frame is not JSON text', 'type');
const NOT_TEXT = rootError('must be a text frame of JSON: the frame is binary', 'type');
const NOTHING = (what: string) => rootError(`is not allowed: the channel declares no message ${what}`, 'contract');

/** A message whose schema takes any payload (no `payload`): it fits binary and non-JSON frames too. */
const takesAnything = (messages: readonly ContractMessage[]) => messages.find((m) => m.payload === undefined);

/** What a frame is: the message it fits, or the closest and what is wrong. */
function classifyFrame(bound: BoundContract, direction: Direction, binary: boolean, json: unknown, text: () => string): { message: ContractMessage | undefined; errors: readonly ContractError[] } {
  const { messages } = direction;
  if (messages.length === 0) return { message: undefined, errors: [NOTHING(direction === bound.in ? 'a client sends' : 'the server sends')] };
  if (binary || json === undefined) {
    const any = takesAnything(messages);
    if (any) return { message: any, errors: [] };
    if (binary) return { message: undefined, errors: [NOT_TEXT] };
    // Plain text: a message whose payload is a string may take it.
    const asText = bound.runtime.classify(messages, text());
    return asText.errors.length === 0 ? asText : { message: undefined, errors: [NOT_JSON] };
  }
  return bound.runtime.classify(messages, json);
}

/** Whether `message` is an error reply: its key, `messageId`, `name` or `title` says `error`. */
export function isErrorMessage(message: ContractMessage): boolean {
  return [message.key, message.messageId, message.name, message.title].some((name) => name !== undefined && /error/i.test(name));
}

/**
 * Sends a value as a frame (a string as text, anything else as JSON) through
 * the outbound phase, where it is checked like any frame; no promise is made
 * for it. A value that cannot be sent (a circular object) is reported.
 */
function sendValue(connection: Connection, value: unknown, host: StageContext): void {
  if (value === undefined) return;
  let frame: OutboundFrame;
  try {
    frame = encodeSendData(value as SendData);
  } catch (err) {
    host.report(toError(err), connection);
    return;
  }
  connection[kCore].deliver(frame);
}

/** The check stage of a contract mock. */
export function contractStage(binding: MockBinding, service: ServerContracts, pending: Pending, host: StageContext): Stage {
  const violate = (bound: BoundContract, connection: Connection, direction: 'in' | 'out', frame: string, found: { message: ContractMessage | undefined; errors: readonly ContractError[] }): ContractViolation => {
    const side = direction === 'in' ? bound.in : bound.out;
    const use = found.message === undefined ? undefined : side.uses.get(found.message);
    const violation: ContractViolation = {
      direction,
      frame,
      ...(found.message === undefined ? {} : { message: found.message.key }),
      errors: found.errors,
      at: Date.now(),
      channel: (use?.channel ?? side.channel).id,
    };
    service.violated(bound, binding.mockId, connection, violation, use?.targets ?? bound.coverage.channelTarget(side.channel));
    return violation;
  };

  /** Strict: a bad client frame is answered with its operation's error message, else the connection closed with 1008. */
  const refuse = (bound: BoundContract, connection: Connection, violation: ContractViolation, found: { message: ContractMessage | undefined }, json: unknown): void => {
    const reply = found.message === undefined ? undefined : bound.in.uses.get(found.message)?.reply?.reply;
    const error = reply?.messages.find(isErrorMessage);
    if (error) {
      try {
        const built = bound.runtime.buildMessage(error, connection[kCore].random());
        sendValue(connection, found.message === undefined ? built : bound.runtime.correlate({ message: found.message, payload: json }, { message: error, payload: built }), host);
        return;
      } catch (err) {
        host.report(toError(err), connection);
      }
    }
    connection.close({ code: CloseCode.POLICY_VIOLATION, reason: closeReason(violation) }).catch(() => {});
  };

  return {
    name: 'contract',
    connect(connection) {
      // What `toReceiveMessage({ messageId })` looks messages up in (util/contractMessages.ts).
      setContractMessages(connection, () => (binding.bound ? [...new Set([...binding.bound.in.messages, ...binding.bound.out.messages])] : []));
      const bound = binding.bound;
      // Strict mocks refused a bad handshake already; report mode journals it on the connection.
      if (!bound || bound.mode === 'strict') return;
      for (const fault of service.handshakeFaults(bound, connection.query, connection.headers, connection.params)) {
        const violation: ContractViolation = { direction: 'in', frame: connection.url, errors: fault.errors, at: Date.now(), channel: fault.channel.id, handshake: fault.part };
        service.violated(bound, binding.mockId, connection, violation, bound.coverage.channelTarget(fault.channel));
      }
    },
    inbound(frame) {
      const bound = binding.bound;
      if (!bound) return false;
      const { connection, binary } = frame;
      const json = binary ? undefined : frame.message.json;
      const found = classifyFrame(bound, bound.in, binary, json, () => frame.data as string);
      if (found.errors.length === 0) {
        const use = bound.in.uses.get(found.message!)!;
        for (const t of use.targets) {
          t.seen = true;
          t.count++;
        }
        if (use.reply && bound.replies) pending.set(frame, { operation: use.reply, message: found.message!, payload: json ?? frame.data });
        return false;
      }
      const violation = violate(bound, connection, 'in', frameText(frame.data, binary), found);
      if (bound.mode !== 'strict') return false;
      refuse(bound, connection, violation, found, json);
      return true;
    },
    outbound(frame: OutboundFrame, connection: Connection) {
      const bound = binding.bound;
      if (!bound) return frame;
      const { binary, payload } = frame;
      const json = binary ? undefined : frame.json !== undefined ? frame.json : frame.upstream !== undefined ? frame.upstream.json : parseJson(typeof payload === 'string' ? payload : payload.toString('utf8'));
      const text = () => (typeof payload === 'string' ? payload : payload.toString('utf8'));
      const found = classifyFrame(bound, bound.out, binary, json, text);
      if (found.errors.length === 0) {
        for (const t of bound.out.uses.get(found.message!)!.targets) {
          t.seen = true;
          t.count++;
        }
      } else violate(bound, connection, 'out', frameText(frame.journal ?? payload, binary), found);
      return frame;
    },
  };
}

/** The reply stage of a mock that answers from its contract. */
export function replyStage(binding: MockBinding, pending: Pending, host: StageContext): Stage {
  return {
    name: 'contractReply',
    inbound(frame) {
      const bound = binding.bound;
      const request = pending.get(frame);
      if (!bound || !request) return false;
      pending.delete(frame);
      const { connection } = frame;
      const { operation } = request;
      const reply = operation.reply!.messages[0];
      const override = bound.overrides[operation.id];
      if (typeof override === 'function') {
        let result: unknown;
        try {
          result = (override as (payload: unknown, connection: Connection) => unknown)(request.payload, connection);
        } catch (err) {
          host.report(toError(err), connection);
          return true;
        }
        if (!isPromiseLike(result)) {
          sendValue(connection, result, host);
          return true;
        }
        return Promise.resolve(result).then(
          (value) => (sendValue(connection, value, host), true),
          (err: unknown) => (host.report(toError(err), connection), true),
        );
      }
      if (!reply) return true;
      let value: unknown;
      try {
        const built = override !== undefined ? cloneConfig(override) : bound.runtime.buildMessage(reply, connection[kCore].random());
        value = bound.runtime.correlate({ message: request.message, payload: request.payload }, { message: reply, payload: built });
      } catch (err) {
        host.report(toError(err), connection);
        return true;
      }
      sendValue(connection, value, host);
      return true;
    },
  };
}

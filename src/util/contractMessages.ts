//
// Which AsyncAPI messages a connection may carry, for the matchers: the
// contract layer registers a lookup on each connection of a mock it checks,
// and `toReceiveMessage({ messageId })` reads it. Read through a `Symbol.for`
// key (as util/notes.ts does), so the matchers of one copy of wsmock find
// the lookup on a connection another copy made.
//
import type { ContractMessage } from '../asyncapi/model.js';

const kContractMessages = Symbol.for('wsmock.contractMessages');

/** Registers on `connection` how to list the contract messages of its channels (a non-enumerable own property, off the public surface). */
export function setContractMessages(connection: object, lookup: () => readonly ContractMessage[]): void {
  Object.defineProperty(connection, kContractMessages, { value: lookup, configurable: true });
}

/** The contract messages `connection` may carry, whichever copy of wsmock made it; `undefined` when its mock has no contract. */
export function contractMessagesOf(connection: unknown): readonly ContractMessage[] | undefined {
  if (typeof connection !== 'object' || connection === null) return undefined;
  const lookup = (connection as Record<symbol, unknown>)[kContractMessages];
  return typeof lookup === 'function' ? (lookup as () => readonly ContractMessage[]).call(connection) : undefined;
}

/** The message among `messages` named `id`: its key, `messageId` or `name`, in that order. */
export function findContractMessage(messages: readonly ContractMessage[], id: string): ContractMessage | undefined {
  return messages.find((m) => m.key === id) ?? messages.find((m) => m.messageId === id) ?? messages.find((m) => m.name === id);
}

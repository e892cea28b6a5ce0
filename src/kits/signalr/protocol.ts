//
// The SignalR hub protocol's messages, whatever encodes them: their types,
// the checks every message a client sends goes through (the rules the
// ASP.NET Core server applies, with its wording), the handshake, and the
// JSON encoding (each message a JSON object ended by the record separator
// 0x1E). A message value from either encoding is checked here, so the JSON
// and MessagePack readers share one set of rules.
//

/** The record separator that ends every JSON hub message and the handshake. */
export const RS = '\u001e';

/** The hub protocol's message types. */
export const MessageType = {
  Invocation: 1,
  StreamItem: 2,
  Completion: 3,
  StreamInvocation: 4,
  CancelInvocation: 5,
  Ping: 6,
  Close: 7,
  Ack: 8,
  Sequence: 9,
} as const;

/** An Invocation (1) or a StreamInvocation (4), either way. */
export interface InvocationMessage {
  readonly type: 1 | 4;
  /** Absent on a non-blocking Invocation (`connection.send`). */
  readonly invocationId?: string;
  readonly target: string;
  readonly arguments: unknown[];
  /** The ids of the client's streams to the server, one per stream argument. */
  readonly streamIds?: string[];
}

/** A StreamItem (2). */
export interface StreamItemMessage {
  readonly type: 2;
  readonly invocationId: string;
  readonly item: unknown;
}

/** A Completion (3): an error, a result, or neither (void). */
export interface CompletionMessage {
  readonly type: 3;
  readonly invocationId: string;
  readonly error?: string;
  readonly result?: unknown;
  /** Whether it carried a result (a `null` result counts). */
  readonly hasResult: boolean;
}

/** A hub message as the mock reads and writes it. */
export type HubMessage =
  | InvocationMessage
  | StreamItemMessage
  | CompletionMessage
  | { readonly type: 5; readonly invocationId: string }
  | { readonly type: 6 }
  | { readonly type: 7; readonly error?: string; readonly allowReconnect?: boolean }
  | { readonly type: 8 | 9; readonly sequenceId: number };

/** What reading one message gives: a message, one to ignore (a type from a later protocol), or why it is malformed. */
export type ReadMessage = { readonly kind: 'message'; readonly message: HubMessage } | { readonly kind: 'ignored'; readonly type: number } | { readonly kind: 'invalid'; readonly reason: string };

const invalid = (reason: string): ReadMessage => ({ kind: 'invalid', reason });
const missing = (name: string): ReadMessage => invalid(`Missing required property '${name}'.`);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/**
 * Checks a message value (a JSON object, or the object a MessagePack array
 * was read into) as the server does: the fields its type requires, with
 * their types. A type the server does not know is ignored, as later
 * protocol versions may add some.
 */
export function checkMessage(value: unknown): ReadMessage {
  if (!isRecord(value)) return invalid('Unexpected JSON Token Type. Expected a JSON Object.');
  const { type } = value;
  if (type === undefined) return missing('type');
  if (typeof type !== 'number' || !Number.isInteger(type)) return invalid("Expected 'type' to be of type Integer.");
  const id = value.invocationId;
  if (id !== undefined && id !== null && typeof id !== 'string') return invalid("Expected 'invocationId' to be of type String.");
  const invocationId = typeof id === 'string' ? id : undefined;
  switch (type) {
    case MessageType.Invocation:
    case MessageType.StreamInvocation: {
      if (type === MessageType.StreamInvocation && invocationId === undefined) return missing('invocationId');
      if (value.target === undefined) return missing('target');
      if (typeof value.target !== 'string') return invalid("Expected 'target' to be of type String.");
      if (value.arguments === undefined) return missing('arguments');
      if (!Array.isArray(value.arguments)) return invalid("Expected 'arguments' to be of type Array.");
      if (value.streamIds !== undefined && value.streamIds !== null && !stringList(value.streamIds)) return invalid("Expected 'streamIds' to be an Array of String.");
      const streamIds = stringList(value.streamIds) && value.streamIds.length > 0 ? value.streamIds : undefined;
      return {
        kind: 'message',
        message: { type, target: value.target, arguments: value.arguments, ...(invocationId !== undefined ? { invocationId } : {}), ...(streamIds ? { streamIds } : {}) },
      };
    }
    case MessageType.StreamItem:
      if (invocationId === undefined) return missing('invocationId');
      if (!('item' in value)) return missing('item');
      return { kind: 'message', message: { type, invocationId, item: value.item } };
    case MessageType.Completion: {
      if (invocationId === undefined) return missing('invocationId');
      const { error } = value;
      if (error !== undefined && error !== null && typeof error !== 'string') return invalid("Expected 'error' to be of type String.");
      if (typeof error === 'string' && 'result' in value) return invalid("The 'error' and 'result' properties are mutually exclusive.");
      if (typeof error === 'string') return { kind: 'message', message: { type, invocationId, error, hasResult: false } };
      return { kind: 'message', message: { type, invocationId, hasResult: 'result' in value, ...('result' in value ? { result: value.result } : {}) } };
    }
    case MessageType.CancelInvocation:
      if (invocationId === undefined) return missing('invocationId');
      return { kind: 'message', message: { type, invocationId } };
    case MessageType.Ping:
      return { kind: 'message', message: { type } };
    case MessageType.Close: {
      const { error, allowReconnect } = value;
      return {
        kind: 'message',
        message: { type, ...(typeof error === 'string' ? { error } : {}), ...(typeof allowReconnect === 'boolean' ? { allowReconnect } : {}) },
      };
    }
    case MessageType.Ack:
    case MessageType.Sequence:
      if (typeof value.sequenceId !== 'number') return missing('sequenceId');
      return { kind: 'message', message: { type, sequenceId: value.sequenceId } };
    default:
      return { kind: 'ignored', type };
  }
}

/** A message as the JSON protocol writes it (undefined fields left out). */
export function jsonValueOf(message: HubMessage): Record<string, unknown> {
  if (message.type === MessageType.Completion) {
    const { invocationId, error, result, hasResult } = message;
    if (error !== undefined) return { type: 3, invocationId, error };
    return hasResult ? { type: 3, invocationId, result: result === undefined ? null : result } : { type: 3, invocationId };
  }
  return message as unknown as Record<string, unknown>;
}

/** A hub message as JSON text with its record separator. */
export function encodeJson(message: HubMessage): string {
  return JSON.stringify(jsonValueOf(message)) + RS;
}

/** A handshake request the mock accepted the syntax of. */
export interface HandshakeRequest {
  readonly protocol: string;
  readonly version: number;
}

/** The server's wording of a handshake it could not read. */
export function handshakeFailure(reason: string): string {
  return `An unexpected error occurred during connection handshake. InvalidDataException: ${reason}`;
}

/** Reads the handshake request's JSON text (its separator already cut off): the request, or why it is not one (the server's wording). */
export function parseHandshake(text: string): HandshakeRequest | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return handshakeFailure('Error reading JSON.');
  }
  if (!isRecord(value)) return handshakeFailure('Unexpected JSON Token Type. Expected a JSON Object.');
  if (value.protocol === undefined) return handshakeFailure("Missing required property 'protocol'.");
  if (typeof value.protocol !== 'string') return handshakeFailure("Expected 'protocol' to be of type String.");
  if (value.version === undefined) return handshakeFailure("Missing required property 'version'.");
  if (typeof value.version !== 'number' || !Number.isInteger(value.version)) return handshakeFailure("Expected 'version' to be of type Integer.");
  return { protocol: value.protocol, version: value.version };
}

/** The error `Close` message's text for a connection ended by what it sent. */
export function closeError(reason: string): string {
  return `Connection closed with an error. InvalidDataException: ${reason}`;
}

/** The message of a message over the size limit (the server's wording). */
export function tooLarge(limit: number): string {
  return `The maximum message size of ${limit}B was exceeded.`;
}

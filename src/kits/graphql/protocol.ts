//
// The two GraphQL-over-WebSocket protocols, as the wire sees them: which
// subprotocol names which, the close codes, and what a client frame must look
// like. `graphql-transport-ws` is graphql-ws's protocol (its PROTOCOL.md);
// `graphql-ws` is the legacy protocol of subscriptions-transport-ws.
//

/** The protocol a connection speaks, named by its subprotocol: graphql-ws's, or subscriptions-transport-ws's (legacy). */
export type GraphQLProtocol = 'graphql-transport-ws' | 'graphql-ws';

/** graphql-ws's subprotocol. */
export const TRANSPORT_WS: GraphQLProtocol = 'graphql-transport-ws';
/** subscriptions-transport-ws's subprotocol (the legacy protocol). */
export const LEGACY_WS: GraphQLProtocol = 'graphql-ws';

/** The subprotocols a GraphQL mock accepts, in the order it prefers them. */
export const GRAPHQL_SUBPROTOCOLS: readonly GraphQLProtocol[] = [TRANSPORT_WS, LEGACY_WS];

/** Close codes of graphql-transport-ws, with the reasons graphql-ws's server gives. */
export const GraphQLCloseCode = {
  BAD_REQUEST: 4400,
  UNAUTHORIZED: 4401,
  FORBIDDEN: 4403,
  SUBPROTOCOL_NOT_ACCEPTABLE: 4406,
  INIT_TIMEOUT: 4408,
  SUBSCRIBER_EXISTS: 4409,
  TOO_MANY_INITS: 4429,
  INTERNAL_ERROR: 4500,
} as const;

/** The legacy server closes a refused connection with 1011 after its `connection_error`. */
export const LEGACY_REFUSED_CLOSE = 1011;

/** A GraphQL request as a client sends it (`subscribe` / `start` payload). */
export interface OperationRequest {
  query: string;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
  extensions?: Record<string, unknown> | null;
}

/** A client frame that passed validation. */
export type ClientMessage =
  | { type: 'connection_init'; payload: Record<string, unknown> | undefined }
  | { type: 'ping' | 'pong'; payload: Record<string, unknown> | undefined }
  | { type: 'subscribe'; id: string; payload: OperationRequest }
  | { type: 'complete'; id: string }
  | { type: 'connection_terminate' };

/** What parsing a client frame gives: the message, or the problem to report. */
export type Parsed = { message: ClientMessage } | { problem: string; id?: string };

/** A JSON object (not an array, not null). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalObject(value: unknown): boolean {
  return value === undefined || value === null || isObject(value);
}

/** Why an operation request is malformed, or undefined when it is well formed. */
function requestProblem(type: string, payload: unknown): string | undefined {
  if (!isObject(payload)) return `"${type}" message expects the 'payload' property to be an object`;
  if (typeof payload.query !== 'string') return `"${type}" message payload expects the 'query' property to be a string`;
  if (!optionalObject(payload.variables)) return `"${type}" message payload expects 'variables' to be an object or null`;
  if (payload.operationName != null && typeof payload.operationName !== 'string') {
    return `"${type}" message payload expects 'operationName' to be a string or null`;
  }
  if (!optionalObject(payload.extensions)) return `"${type}" message payload expects 'extensions' to be an object or null`;
  return undefined;
}

function idProblem(type: string, id: unknown): string | undefined {
  return typeof id === 'string' && id !== '' ? undefined : `"${type}" message requires a non-empty string 'id' property`;
}

/**
 * Validates a graphql-transport-ws client frame the way PROTOCOL.md words it:
 * anything else closes the socket with 4400. Server-to-client types sent by
 * a client are invalid too.
 */
export function parseTransportMessage(json: unknown): Parsed {
  if (!isObject(json)) return { problem: 'Message is expected to be an object' };
  const { type } = json;
  if (typeof type !== 'string' || type === '') return { problem: `Message is missing a string 'type' property` };
  switch (type) {
    case 'connection_init':
    case 'ping':
    case 'pong':
      if (!optionalObject(json.payload)) return { problem: `"${type}" message expects the 'payload' property to be an object, null or missing` };
      return { message: { type, payload: isObject(json.payload) ? json.payload : undefined } };
    case 'subscribe': {
      const problem = idProblem(type, json.id) ?? requestProblem(type, json.payload);
      if (problem) return { problem };
      return { message: { type, id: json.id as string, payload: json.payload as unknown as OperationRequest } };
    }
    case 'complete': {
      const problem = idProblem(type, json.id);
      if (problem) return { problem };
      return { message: { type, id: json.id as string } };
    }
    default:
      return { problem: `Unexpected message of type ${type} received` };
  }
}

/**
 * Reads a legacy (subscriptions-transport-ws) client frame. Its server never
 * closes for a bad frame: it answers `error` (with the operation id) or, for a
 * frame it cannot read at all, `connection_error`.
 */
export function parseLegacyMessage(json: unknown): Parsed {
  if (!isObject(json)) return { problem: 'Message is expected to be an object' };
  const id = typeof json.id === 'string' && json.id !== '' ? json.id : undefined;
  switch (json.type) {
    case 'connection_init':
      return { message: { type: 'connection_init', payload: isObject(json.payload) ? json.payload : undefined } };
    case 'connection_terminate':
      return { message: { type: 'connection_terminate' } };
    case 'start': {
      const problem = idProblem('start', json.id) ?? requestProblem('start', json.payload);
      if (problem) return { problem, ...(id ? { id } : {}) };
      return { message: { type: 'subscribe', id: id!, payload: json.payload as unknown as OperationRequest } };
    }
    case 'stop': {
      const problem = idProblem('stop', json.id);
      if (problem) return { problem };
      return { message: { type: 'complete', id: id! } };
    }
    default:
      return { problem: 'Invalid message type!', ...(id ? { id } : {}) };
  }
}

/** A close reason within the 123 bytes a close frame allows (graphql-ws shortens the same way). */
export function closeReason(reason: string, whenTooLong: string): string {
  return Buffer.byteLength(reason) < 124 ? reason : whenTooLong;
}

/** A place in a GraphQL document. */
export interface SourceLocation {
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
}

/** A GraphQL error as it travels (`{ message, locations?, path?, extensions? }`). */
export interface GraphQLFormattedError {
  /** What went wrong, for people. */
  message: string;
  /** Where in the document. */
  locations?: readonly SourceLocation[];
  /** The response field it concerns (`['user', 'name']`). */
  path?: readonly (string | number)[];
  /** Anything else (`{ code: 'FORBIDDEN' }`). */
  extensions?: Record<string, unknown>;
}

/** One result of an operation: what a `next` (legacy: `data`) frame carries. */
export interface ExecutionResult {
  /** The result's data. */
  data?: unknown;
  /** Errors of the result (with or without data). */
  errors?: readonly GraphQLFormattedError[];
  /** Extra data of the result. */
  extensions?: Record<string, unknown>;
}

const RESULT_KEYS = new Set(['data', 'errors', 'extensions']);

/**
 * A value given as a result: `{ data?, errors?, extensions? }` as it is (with
 * `data` or `errors`), anything else as the `data` of a result.
 */
export function toResult(value: unknown): ExecutionResult {
  if (isObject(value) && ('data' in value || 'errors' in value) && Object.keys(value).every((key) => RESULT_KEYS.has(key))) {
    return value as ExecutionResult;
  }
  return { data: value };
}

/** The frames the server sends, in each protocol's words. */
export const serverTypes = {
  [TRANSPORT_WS]: { next: 'next', error: 'error', complete: 'complete', keepAlive: 'ping' },
  [LEGACY_WS]: { next: 'data', error: 'error', complete: 'complete', keepAlive: 'ka' },
} as const;

/** The kinds of frame the server sends about an operation. */
export type OperationFrame = 'next' | 'error' | 'complete';

/**
 * A server frame about operation `id`, as JSON text, from its payload already
 * serialised (so one payload sent to many operations is serialised once).
 */
export function operationFrame(protocol: GraphQLProtocol, kind: OperationFrame, id: string, payloadJson?: string): string {
  const head = `{"id":${JSON.stringify(id)},"type":"${serverTypes[protocol][kind]}"`;
  return payloadJson === undefined ? `${head}}` : `${head},"payload":${payloadJson}}`;
}

/** The `error` payload: graphql-transport-ws sends the list, the legacy server one error object. */
export function errorPayload(protocol: GraphQLProtocol, errors: readonly GraphQLFormattedError[]): unknown {
  return protocol === LEGACY_WS && errors.length === 1 ? errors[0] : errors;
}

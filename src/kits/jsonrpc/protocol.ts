//
// JSON-RPC 2.0 on the wire: what one entry of an inbound frame is (a request,
// a notification, a response to a call the server made, or something invalid
// with the reason), and the response objects the server writes. Nothing here
// knows about connections or mocks.
//

/** A request id: a string, a number or null. A notification has none. */
export type JsonRpcId = string | number | null;

/** The `params` of a call: by position, by name, or absent. */
export type JsonRpcParams = unknown[] | Record<string, unknown> | undefined;

/** The error object of a JSON-RPC response. */
export interface JsonRpcErrorObject {
  /** An integer; -32768 to -32000 are reserved by the specification. */
  code: number;
  /** A short description. */
  message: string;
  /** Anything more the server wants the client to know. */
  data?: unknown;
}

/** The error codes the JSON-RPC 2.0 specification defines. */
export const JsonRpcErrorCode = {
  /** The frame is not JSON. */
  PARSE_ERROR: -32700,
  /** The JSON is not a valid request object (or is an empty batch). */
  INVALID_REQUEST: -32600,
  /** No such method. */
  METHOD_NOT_FOUND: -32601,
  /** The params do not suit the method. */
  INVALID_PARAMS: -32602,
  /** The method failed. */
  INTERNAL_ERROR: -32603,
} as const;

const STANDARD_MESSAGES: Readonly<Record<number, string>> = {
  [-32700]: 'Parse error',
  [-32600]: 'Invalid Request',
  [-32601]: 'Method not found',
  [-32602]: 'Invalid params',
  [-32603]: 'Internal error',
};

/** The specification's message for a standard code; `Server error` for any other. */
export function standardMessage(code: number): string {
  return STANDARD_MESSAGES[code] ?? 'Server error';
}

/** A standard error, with `data` saying what exactly was wrong. */
export function standardError(code: number, data?: string): JsonRpcErrorObject {
  return data === undefined ? { code, message: standardMessage(code) } : { code, message: standardMessage(code), data };
}

/** What the server answers: the result, or the error. */
export type JsonRpcOutcome =
  | {
      /** The method's result. */
      result: unknown;
    }
  | {
      /** Why the call failed. */
      error: JsonRpcErrorObject;
    };

/** A response object as the server writes it. */
export type JsonRpcResponse = { jsonrpc: '2.0'; id: JsonRpcId } & JsonRpcOutcome;

/** One entry of an inbound frame, classified. */
export type InboundEntry =
  | { kind: 'request'; method: string; params: JsonRpcParams; id: JsonRpcId }
  | { kind: 'notification'; method: string; params: JsonRpcParams }
  /** The client's answer to a call the server made (`rpc.call()`). */
  | { kind: 'response'; id: JsonRpcId; outcome: JsonRpcOutcome }
  /** Not a valid request: answered with -32600, with the id when it could be read. */
  | { kind: 'invalid'; id: JsonRpcId; reason: string };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isId(value: unknown): value is JsonRpcId {
  return typeof value === 'string' || typeof value === 'number' || value === null;
}

function isErrorObject(value: unknown): value is JsonRpcErrorObject {
  return isPlainObject(value) && Number.isInteger(value.code) && typeof value.message === 'string';
}

/**
 * Classifies one request object (a whole frame, or one entry of a batch).
 * An object with `result` or `error` and no `method` is the client's answer
 * to a server-initiated call. Anything else that breaks the specification's
 * request rules is invalid; its id is kept when it is a valid id, else null.
 */
export function classify(value: unknown): InboundEntry {
  if (!isPlainObject(value)) {
    return { kind: 'invalid', id: null, reason: `a request must be an object, got ${Array.isArray(value) ? 'an array' : JSON.stringify(value)}` };
  }
  const hasId = Object.hasOwn(value, 'id');
  if (hasId && !isId(value.id)) return { kind: 'invalid', id: null, reason: '"id" must be a string, a number or null' };
  const id: JsonRpcId = hasId ? (value.id as JsonRpcId) : null;
  if (value.jsonrpc !== '2.0') return { kind: 'invalid', id, reason: '"jsonrpc" must be exactly "2.0"' };
  if (!Object.hasOwn(value, 'method') && hasId && (Object.hasOwn(value, 'result') || Object.hasOwn(value, 'error'))) {
    const outcome: JsonRpcOutcome = Object.hasOwn(value, 'error')
      ? { error: isErrorObject(value.error) ? value.error : standardError(JsonRpcErrorCode.INTERNAL_ERROR, 'the client answered with a malformed error object') }
      : { result: value.result };
    return { kind: 'response', id, outcome };
  }
  if (typeof value.method !== 'string') return { kind: 'invalid', id, reason: '"method" must be a string' };
  const params = value.params;
  if (params !== undefined && !isPlainObject(params) && !Array.isArray(params)) {
    return { kind: 'invalid', id, reason: '"params" must be an array or an object when present' };
  }
  const structured = params as JsonRpcParams;
  return hasId ? { kind: 'request', method: value.method, params: structured, id } : { kind: 'notification', method: value.method, params: structured };
}

/** The response object for `id`. An `undefined` result is sent as null: a response must carry one. */
export function response(id: JsonRpcId, outcome: JsonRpcOutcome): JsonRpcResponse {
  if ('error' in outcome) return { jsonrpc: '2.0', error: outcome.error, id };
  return { jsonrpc: '2.0', result: outcome.result === undefined ? null : outcome.result, id };
}

/** A call or notification from the server to the client. */
export function request(method: string, params: JsonRpcParams, id?: number): Record<string, unknown> {
  const out: Record<string, unknown> = { jsonrpc: '2.0', method };
  if (params !== undefined) out.params = params;
  if (id !== undefined) out.id = id;
  return out;
}

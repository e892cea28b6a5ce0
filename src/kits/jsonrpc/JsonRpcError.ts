import { handleBrand, invalidArgument } from '../../kit/index.js';
import { JsonRpcErrorCode, standardMessage, type JsonRpcErrorObject } from './protocol.js';

const brand = handleBrand('jsonrpc.error');

/**
 * A JSON-RPC error with its code. Thrown from a method handler, the client
 * gets exactly this code, message and data; `rpc.call()` rejects with one when
 * the client answers with an error. `instanceof` works across copies of wsmock.
 *
 * @example
 * ```ts
 * server.jsonrpc('/rpc', { methods: {
 *   divide: ([a, b]) => {
 *     if (b === 0) throw new JsonRpcError(JsonRpcErrorCode.INVALID_PARAMS, 'division by zero', { b });
 *     return a / b;
 *   },
 * } });
 * ```
 */
export class JsonRpcError extends Error {
  /** The JSON-RPC error code (an integer). */
  readonly code: number;
  /** The error's `data`, when it has one. */
  readonly data: unknown;

  /** `message` defaults to the specification's text for the code (`Invalid params` for -32602). */
  constructor(code: number, message?: string, data?: unknown) {
    if (!Number.isInteger(code)) throw invalidArgument(`JsonRpcError code must be an integer, got ${String(code)}`);
    super(message ?? standardMessage(code));
    this.name = 'JsonRpcError';
    this.code = code;
    this.data = data;
    brand.mark(this);
  }

  /** True for a JsonRpcError from this copy of wsmock or another. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return brand.test(value);
  }

  /** The error object as it travels in a response. */
  toJSON(): JsonRpcErrorObject {
    return this.data === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, data: this.data };
  }
}

/**
 * The error object a thrown value becomes: a {@link JsonRpcError} keeps its
 * code, message and data; any other value with an integer `code` (an `Error`
 * with `code = -32602`, a plain `{ code, message }`) keeps its code too; the
 * rest is -32603 with the error's message.
 */
export function errorObjectOf(thrown: unknown): JsonRpcErrorObject {
  if (thrown instanceof JsonRpcError) return thrown.toJSON();
  if (typeof thrown === 'object' && thrown !== null) {
    const { code, message, data } = thrown as { code?: unknown; message?: unknown; data?: unknown };
    const text = typeof message === 'string' && message !== '' ? message : undefined;
    if (typeof code === 'number' && Number.isInteger(code)) {
      return data === undefined ? { code, message: text ?? standardMessage(code) } : { code, message: text ?? standardMessage(code), data };
    }
    return { code: JsonRpcErrorCode.INTERNAL_ERROR, message: text ?? standardMessage(JsonRpcErrorCode.INTERNAL_ERROR) };
  }
  return { code: JsonRpcErrorCode.INTERNAL_ERROR, message: thrown === undefined ? standardMessage(JsonRpcErrorCode.INTERNAL_ERROR) : String(thrown) };
}

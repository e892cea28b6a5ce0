//
// jest-websocket-mock's handshake options (`verifyClient`, `selectProtocol`)
// as wsmock's in-process handshake hooks.
//
import type { HandshakeRefusal, HandshakeRequest, HandshakeVerifier, SubprotocolSelector } from '../../index.js';

/** The upgrade request as `verifyClient` sees it. */
export interface VerifyClientRequest {
  /** Always `GET`. */
  method: 'GET';
  /** The request target: path and query. */
  url: string;
  /** The request headers, names in lower case. */
  headers: Record<string, string>;
}

/** What `verifyClient` is given: the upgrade request, in the shape the `ws` package uses. */
export interface VerifyClientInfo {
  /** The `Origin` header, or undefined. */
  origin: string | undefined;
  /** Always false: `WS` serves plain `ws://`. */
  secure: boolean;
  /** The upgrade request. */
  req: VerifyClientRequest;
}

/** Options of `new WS(url, options)`. */
export interface WSOptions {
  /** Parse what clients send with `JSON.parse` and serialise what `send()` gets with `JSON.stringify`. */
  jsonProtocol?: boolean;
  /**
   * Decides, per handshake, whether to accept a client. A falsy result refuses
   * it with HTTP 401 (or the callback's code): the client sees `error`, then
   * `close`. Called as the `ws` package calls it: `(info)`, or `(info, callback)`
   * for an asynchronous answer.
   */
  verifyClient?: (info: VerifyClientInfo, callback?: (result: boolean, code?: number, message?: string) => void) => unknown;
  /**
   * Chooses the subprotocol from those the client offered. A result that is not
   * empty and not among them refuses the client (HTTP 400). Without it, the first
   * offered subprotocol is chosen.
   */
  selectProtocol?: (protocols: string[]) => string | null | undefined;
}

/** `verifyClient` as a wsmock handshake verifier. */
export function verifierOf(verifyClient: NonNullable<WSOptions['verifyClient']>): HandshakeVerifier {
  return async (request: HandshakeRequest): Promise<boolean | HandshakeRefusal> => {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    const info: VerifyClientInfo = { origin: request.origin, secure: false, req: { method: 'GET', url: request.url, headers } };
    const verdict =
      verifyClient.length >= 2
        ? await new Promise<{ ok: boolean; code?: number; message?: string }>((resolve) => verifyClient(info, (ok, code, message) => resolve({ ok, code, message })))
        : { ok: Boolean(await verifyClient(info)) };
    return verdict.ok || { status: verdict.code ?? 401, body: verdict.message ?? 'verifyClient refused this client.' };
  };
}

/** `selectProtocol` (or, without it, "the first offered") as a wsmock subprotocol selector. */
export function selectorOf(selectProtocol: WSOptions['selectProtocol']): SubprotocolSelector {
  if (!selectProtocol) return (offered) => offered[0];
  return (offered) => {
    const chosen = selectProtocol(offered);
    if (chosen === '') return undefined;
    return typeof chosen === 'string' && offered.includes(chosen) ? chosen : false;
  };
}

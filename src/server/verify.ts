//
// `handshake.verify`: what the mock's verifier sees of a handshake, and what
// its answer means (accept, refuse with what, or a broken answer, reported).
//
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { invalidVerifyResult } from '../errors.js';
import type { HandshakeRefusal, HandshakeRequest } from '../mocks/types.js';

/** The handshake as a verifier or a subprotocol function sees it. */
export function handshakeRequest(request: IncomingMessage, socket: Duplex, pathname: string): HandshakeRequest {
  const url = request.url ?? '/';
  const origin = request.headers.origin;
  return {
    url,
    path: pathname,
    query: Object.fromEntries(new URL(url, 'http://localhost').searchParams),
    headers: request.headers,
    origin: typeof origin === 'string' ? origin : undefined,
    remoteAddress: (socket as Duplex & { remoteAddress?: string }).remoteAddress ?? '',
  };
}

function isRefusal(value: unknown): value is HandshakeRefusal {
  if (typeof value !== 'object' || value === null) return false;
  const { status } = value as { status?: unknown };
  return Number.isInteger(status) && (status as number) >= 400 && (status as number) <= 599;
}

/** What a verifier answered: accept, refuse (with what), or a broken answer. */
export type Verdict = { accept: true } | { accept: false; refusal: HandshakeRefusal } | { broken: Error };

/** Reads a verifier's answer. */
export function verdictOf(result: unknown): Verdict {
  if (result === true) return { accept: true };
  if (result === false) return { accept: false, refusal: { status: 401, body: { error: 'handshake_refused' } } };
  if (isRefusal(result)) return { accept: false, refusal: result };
  let shown: string;
  try {
    shown = JSON.stringify(result) ?? typeof result;
  } catch {
    // A BigInt, a cycle, a value nested past the stack: name its type.
    shown = typeof result;
  }
  return { broken: invalidVerifyResult(shown) };
}

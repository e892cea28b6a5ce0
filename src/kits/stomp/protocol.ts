//
// The STOMP session rules a server applies: which version a CONNECT gets
// (the highest of its `accept-version` the server speaks; 1.0 without the
// header), the heart-beat each side owes the other, and the subprotocols
// STOMP is offered under over WebSocket.
//
import type { StompVersion } from './frame.js';

/** The subprotocols STOMP clients offer, newest first (stompjs: `v12.stomp`, `v11.stomp`, `v10.stomp`). */
export const STOMP_SUBPROTOCOLS: readonly string[] = ['v12.stomp', 'v11.stomp', 'v10.stomp'];

/** Every version, oldest first. */
export const STOMP_VERSIONS: readonly StompVersion[] = ['1.0', '1.1', '1.2'];

/** The commands a client may send. */
export const CLIENT_COMMANDS = new Set(['CONNECT', 'STOMP', 'SEND', 'SUBSCRIBE', 'UNSUBSCRIBE', 'BEGIN', 'COMMIT', 'ABORT', 'ACK', 'NACK', 'DISCONNECT']);

/** The version a CONNECT's `accept-version` agrees on with `supported`, or undefined when none. */
export function negotiateVersion(acceptVersion: string | undefined, supported: readonly StompVersion[]): StompVersion | undefined {
  if (acceptVersion === undefined) return supported.includes('1.0') ? '1.0' : undefined;
  const offered = new Set(acceptVersion.split(',').map((v) => v.trim()));
  for (let i = STOMP_VERSIONS.length - 1; i >= 0; i--) {
    const version = STOMP_VERSIONS[i]!;
    if (offered.has(version) && supported.includes(version)) return version;
  }
  return undefined;
}

/** `cx,cy` of a heart-beat header; `0,0` when absent or not two numbers. */
export function parseHeartBeat(value: string | undefined): [number, number] | undefined {
  if (value === undefined) return [0, 0];
  const match = /^\s*(\d{1,9})\s*,\s*(\d{1,9})\s*$/.exec(value);
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

/**
 * What each side owes: the server sends an EOL every `send` ms and expects
 * something from the client every `receive` ms (0: never), as the spec
 * negotiates it from the client's `cx,cy` and the server's `sx,sy`.
 */
export function negotiateHeartBeat(client: [number, number], server: [number, number]): { send: number; receive: number } {
  const [cx, cy] = client;
  const [sx, sy] = server;
  return { send: sx === 0 || cy === 0 ? 0 : Math.max(sx, cy), receive: cx === 0 || sy === 0 ? 0 : Math.max(cx, sy) };
}

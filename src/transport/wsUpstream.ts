//
// A proxy mock's upstream: a `ws` client connection, opened while the
// client's handshake is held, behind the same Transport seam as the client.
// What the handshake ends in is an outcome, never a throw: open (with the
// transport), refused (the upstream answered HTTP), or unreachable (no
// answer: refused connection, DNS, TLS, timeout).
//
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import WebSocket from 'ws';
import type { Transport } from './types.js';
import { WsTransport } from './ws.js';
import { realClearTimeout, realSetTimeout } from '../util/clock.js';

/** The most of a refusal's body kept (it is shown to the client in the 502/4xx body). */
const MAX_REFUSAL_BODY = 1024;

/** How the upstream handshake ended. */
export type DialOutcome<Open> =
  | { kind: 'open'; opened: Open }
  | { kind: 'refused'; status: number; body: string }
  | { kind: 'unreachable'; error: Error & { code?: string } };

/** An upstream handshake under way. */
export interface Dial<Open> {
  /** Settles once, with how the handshake ended. */
  readonly outcome: Promise<DialOutcome<Open>>;
  /** Resolves once the upstream socket is gone (closed, refused or never connected). */
  readonly gone: Promise<void>;
  /** Abandons the handshake (or drops the socket if it already opened). */
  abort(): void;
}

/** How to dial. */
export interface DialOptions {
  protocols: string[];
  headers: Record<string, string>;
  /** The largest frame accepted from the upstream. */
  maxPayload: number;
  /** How long the upstream may take to answer the handshake, ms. */
  handshakeTimeout: number;
  /** How long a close handshake may take before the socket is dropped, ms. */
  closeTimeout: number;
}

function noop(): void {}

/**
 * Opens a WebSocket to `url`. `open` runs synchronously when the handshake
 * completes, so it can bind the transport before the upstream's first frame
 * is read (ws reads what came with the handshake on the next tick, before
 * any promise continuation could).
 */
export function dialUpstream<Open>(url: string, options: DialOptions, open: (transport: Transport) => Open): Dial<Open> {
  // `closeTimeout` is a ws client option (8.x) its type definitions do not list yet.
  const clientOptions: WebSocket.ClientOptions & { closeTimeout: number } = {
    headers: options.headers,
    perMessageDeflate: false,
    maxPayload: options.maxPayload,
    handshakeTimeout: options.handshakeTimeout,
    closeTimeout: options.closeTimeout,
    followRedirects: false,
  };
  const ws = new WebSocket(url, options.protocols, clientOptions);
  const gone = new Promise<void>((resolve) => ws.once('close', () => resolve()));
  let socket: Duplex | undefined;
  let settle!: (outcome: DialOutcome<Open>) => void;
  const outcome = new Promise<DialOutcome<Open>>((resolve) => (settle = resolve));
  const onError = (error: Error) => {
    ws.off('error', onError);
    ws.on('error', noop);
    settle({ kind: 'unreachable', error });
  };
  ws.on('error', onError);
  ws.once('upgrade', (response: IncomingMessage) => (socket = response.socket));
  // ws's handshake timeout ends when the response head arrives: the refusal's
  // body is read against the same deadline, and only its first
  // MAX_REFUSAL_BODY bytes, so an upstream trickling a body that never ends
  // cannot hold the client's handshake (or fill memory).
  const deadline = Date.now() + options.handshakeTimeout;
  ws.once('unexpected-response', (request, response: IncomingMessage) => {
    ws.off('error', onError);
    ws.on('error', noop);
    const chunks: Buffer[] = [];
    let size = 0;
    let finished = false;
    const finish = (outcome: DialOutcome<Open>) => {
      if (finished) return;
      finished = true;
      realClearTimeout(timer);
      response.off('data', onData);
      settle(outcome);
      request.destroy();
      ws.terminate();
    };
    const done = () => finish({ kind: 'refused', status: response.statusCode ?? 502, body: Buffer.concat(chunks).toString('utf8').slice(0, MAX_REFUSAL_BODY) });
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= MAX_REFUSAL_BODY) done();
    };
    const timer = realSetTimeout(() => {
      const error = new Error(`the upstream refused with HTTP ${response.statusCode} but its body did not end within ${options.handshakeTimeout} ms`);
      finish({ kind: 'unreachable', error: Object.assign(error, { code: 'ETIMEDOUT' }) });
    }, Math.max(0, deadline - Date.now()));
    response.on('data', onData);
    response.once('end', done);
    response.once('error', done);
    response.once('close', done);
  });
  ws.once('open', () => {
    ws.off('error', onError);
    settle({ kind: 'open', opened: open(new WsTransport(ws, socket!)) });
  });
  return {
    outcome,
    gone,
    abort: () => {
      // A socket that never connected emits 'close' through the error path.
      if (ws.readyState !== WebSocket.CLOSED) ws.terminate();
      settle({ kind: 'unreachable', error: new Error('the client left before the upstream answered') });
    },
  };
}

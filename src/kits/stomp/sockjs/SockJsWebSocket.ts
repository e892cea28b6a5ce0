//
// SockJS's WebSocket transport (`{path}/{server}/{session}/websocket`) as a
// Transport: the WebSocket under it carries SockJS frames, the connection
// above sees the STOMP text inside them. `o` is written when the connection
// binds, `h` on every heartbeat interval, each frame of the connection goes
// as `a["…"]`, and a close is told with `c[code,"reason"]` before the
// WebSocket closes.
//
import type { Transport, TransportSink } from '../../../kit/index.js';
import { realClearInterval, realSetInterval } from '../../../util/clock.js';
import { closeFrame, HEARTBEAT_FRAME, messageFrame, OPEN_FRAME, parseMessages } from './framing.js';

/** A WebSocket close code a server may send (RFC 6455 §7.4), else 1000. */
function wireCode(code: number): number {
  return code === 1000 || (code >= 1001 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999) ? code : 1000;
}

export class SockJsWebSocket implements Transport {
  readonly #inner: Transport;
  readonly #heartbeat: number;
  #timer: NodeJS.Timeout | undefined;
  #closing = false;

  constructor(inner: Transport, heartbeat: number) {
    this.#inner = inner;
    this.#heartbeat = heartbeat;
  }

  get protocol(): string {
    return this.#inner.protocol;
  }

  get remoteAddress(): string {
    return this.#inner.remoteAddress;
  }

  get readyState(): number {
    return this.#inner.readyState;
  }

  bind<Owner>(owner: Owner, sink: TransportSink<Owner>): void {
    this.#inner.bind(owner, {
      frame: (o, data) => {
        const messages = parseMessages(data.toString('utf8'));
        if ('error' in messages) {
          // A SockJS server drops a client that breaks the framing.
          this.#inner.close(1002, messages.error);
          return;
        }
        for (const message of messages) sink.frame(o, Buffer.from(message), false);
      },
      closed: (o, code, reason, by) => {
        this.#stop();
        sink.closed(o, code, reason, by);
      },
      pong: (o, data) => sink.pong(o, data),
    });
    this.#inner.write(Buffer.from(OPEN_FRAME), false);
    if (this.#heartbeat > 0) {
      this.#timer = realSetInterval(() => {
        if (this.#inner.readyState === 1) this.#inner.write(Buffer.from(HEARTBEAT_FRAME), false);
      }, this.#heartbeat);
    }
  }

  write(bytes: Buffer, _binary: boolean, callback?: (err?: Error) => void): void {
    // SockJS carries text only: bytes go as their UTF-8 reading.
    this.#inner.write(Buffer.from(messageFrame([bytes.toString('utf8')])), false, callback);
  }

  close(code: number, reason: string): void {
    if (this.#closing) return;
    this.#closing = true;
    this.#stop();
    if (this.#inner.readyState === 1) this.#inner.write(Buffer.from(closeFrame(code, reason)), false);
    this.#inner.close(wireCode(code), reason);
  }

  terminate(): void {
    this.#stop();
    this.#inner.terminate();
  }

  fail(): boolean {
    return this.#inner.fail?.() ?? false;
  }

  ping(data?: Buffer): void {
    this.#inner.ping(data);
  }

  #stop(): void {
    if (this.#timer) realClearInterval(this.#timer);
    this.#timer = undefined;
  }
}

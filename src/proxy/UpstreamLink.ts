//
// One proxy connection's upstream side: the socket (a Transport), what it
// sends on its way into the client's outbound phase, what the client sends on
// its way out, and closes mirrored both ways. The link is owned by the
// connection: made during the client's handshake, adopted when the client is
// accepted, closed when the client leaves.
//
import type { MatchSpec } from '../behaviour/types.js';
import { kCore, upstreamSlot, type Connection, type ConnectionControl } from '../connections/Connection.js';
import type { InboundFrame } from '../connections/contracts.js';
import { FrameMessage, type Message } from '../connections/Message.js';
import type { CloseInfo, CloseOptions, WaitOptions } from '../connections/types.js';
import { WsMockError, connectionClosed, invalidCloseCode, invalidCloseReason } from '../errors.js';
import type { ClosedBy, Transport, TransportSink } from '../transport/types.js';
import { isValidCloseCode, isValidCloseReason } from '../util/closeCodes.js';
import type { ProxyConfig } from './types.js';
import { Upstream, type UpstreamControl } from './Upstream.js';

/** The close a client gets when its upstream drops, unless `proxy.dropClose` says otherwise. */
export const DEFAULT_DROP_CLOSE = { code: 1014, reason: 'upstream dropped' } as const;

/** Each proxy connection's link: the slot behind `conn.upstream`, which this module alone writes. */
const links = upstreamSlot.claim<UpstreamLink>('proxy/UpstreamLink.ts');

const sink: TransportSink<UpstreamLink> = {
  frame: (link, data, binary) => link.received(data, binary),
  closed: (link, code, reason, by) => link.ended(code, reason, by),
  pong: () => {},
};

/** A code the other side may be sent as it came: 1005 (none) and 1006 (no close frame) become 1000. */
function sendable(code: number): number {
  return isValidCloseCode(code) ? code : 1000;
}

/** The upstream side of one proxy connection. */
export class UpstreamLink implements UpstreamControl {
  readonly url: string;
  readonly handle: Upstream;
  readonly #transport: Transport;
  readonly #dropClose: NonNullable<ProxyConfig['dropClose']>;
  #connection: Connection | undefined;
  /** The connection's core, which journals and sends what passes through the link. */
  #core: ConnectionControl | undefined;
  /** Frames (and the close) that came before the connection's pipeline started. */
  #early: [Buffer, boolean][] | undefined;
  #earlyEnd: [number, string, ClosedBy] | undefined;
  #started = false;
  /** What `conn.upstream.close()` asked for: the client is closed the same way. */
  #asked: { code: number; reason: string } | undefined;
  #closeInfo: CloseInfo | undefined;
  #whenClosed: ((info: CloseInfo) => void)[] = [];

  constructor(url: string, transport: Transport, dropClose: ProxyConfig['dropClose']) {
    this.url = url;
    this.#transport = transport;
    this.#dropClose = dropClose ?? DEFAULT_DROP_CLOSE;
    this.handle = new Upstream(this);
    transport.bind(this, sink);
  }

  get protocol(): string {
    return this.#transport.protocol;
  }

  get readyState(): number {
    return this.#transport.readyState;
  }

  get closeInfo(): CloseInfo | undefined {
    return this.#closeInfo;
  }

  /** The client was accepted: the connection owns this link from now on. */
  adopt(connection: Connection): void {
    this.#connection = connection;
    this.#core = connection[kCore];
    links.set(connection, this);
  }

  /** The client was not accepted after all: nobody will own the upstream. */
  discard(): void {
    if (this.#connection === undefined) this.#transport.close(1001, 'client left');
  }

  /** The connection's pipeline started: frames that came early go through it now, in order. */
  start(): void {
    this.#started = true;
    const early = this.#early;
    this.#early = undefined;
    if (early) for (const [data, binary] of early) this.received(data, binary);
    const end = this.#earlyEnd;
    if (end) this.ended(...end);
  }

  /** A frame from the upstream: journaled, then through the client's outbound phase. */
  received(data: Buffer, binary: boolean): void {
    const connection = this.#connection;
    const core = this.#core;
    if (!this.#started || connection === undefined || core === undefined) {
      (this.#early ??= []).push([data, binary]);
      return;
    }
    // Closing counts as gone: the client's close may already be on its way (status still open, socket not).
    if (!core.isOpen || core.readyState !== 1) {
      core.late(data.length);
      return;
    }
    const message = new FrameMessage('upstream-in', connection.id, binary, binary ? data : data.toString('utf8'), data.length);
    core.journal(message);
    core.deliver({ payload: data, binary, journal: message.data, upstream: message });
  }

  /** Sends a client's frame on, as it came (its bytes are not encoded again). */
  forward(frame: InboundFrame): void {
    if (this.#transport.readyState !== 1) return;
    const { raw, binary } = frame;
    this.#transport.write(raw, binary);
    this.#core!.journal(new FrameMessage('upstream-out', frame.connection.id, binary, frame.data, raw.length));
  }

  send(frame: { payload: string | Buffer; binary: boolean }): Promise<void> {
    const connection = this.#connection!;
    const core = this.#core!;
    if (this.#transport.readyState !== 1) return Promise.reject(this.#closedError('send to the upstream'));
    const bytes = typeof frame.payload === 'string' ? Buffer.from(frame.payload) : frame.payload;
    return new Promise((resolve, reject) => {
      this.#transport.write(bytes, frame.binary, (err) => (err ? reject(this.#closedError('send to the upstream', err)) : resolve()));
      core.journal(new FrameMessage('upstream-out', connection.id, frame.binary, frame.payload, bytes.length));
    });
  }

  close(options: CloseOptions): Promise<CloseInfo> {
    const code = options.code ?? 1000;
    const reason = options.reason ?? '';
    if (!isValidCloseCode(code)) {
      return Promise.reject(invalidCloseCode(code));
    }
    if (!isValidCloseReason(reason)) return Promise.reject(invalidCloseReason());
    if (this.#closeInfo) return Promise.resolve(this.#closeInfo);
    if (this.#transport.readyState === 1) {
      this.#asked = { code, reason };
      this.#transport.close(code, reason);
    }
    return new Promise((resolve) => this.#whenClosed.push(resolve));
  }

  wait(matcher: MatchSpec | ((message: Message) => boolean) | undefined, options: WaitOptions): Promise<Message> {
    return this.#core!.wait('upstream-in', matcher, options);
  }

  messages(): Message[] {
    const journal = this.#connection?.messages ?? [];
    return journal.filter((m) => m.direction === 'upstream-in' || m.direction === 'upstream-out');
  }

  /** The upstream socket closed: the client follows, with the same code, or the drop close. */
  ended(code: number, reason: string, by: ClosedBy): void {
    const connection = this.#connection;
    if (!this.#started || connection === undefined) {
      this.#earlyEnd = [code, reason, by];
      this.#settle({ code, reason, by });
      return;
    }
    this.#settle({ code, reason, by });
    if (!connection.isOpen) return;
    if (by === 'client') {
      // The upstream sent a close frame: mirrored as it came.
      void connection.close({ code: sendable(code), reason });
    } else if (by === 'server' && this.#asked) {
      void connection.close(this.#asked);
    } else {
      // Dropped, or closed by wsmock for breaking the protocol: a bad gateway.
      this.#dropped(connection);
    }
  }

  /** The client left: the upstream is closed the same way (a drop as a drop). */
  clientClosed(info: CloseInfo): void {
    if (this.#transport.readyState !== 1) return;
    if (info.code === 1006) this.#transport.terminate();
    else this.#transport.close(sendable(info.code), info.reason);
  }

  #dropped(connection: Connection): void {
    const drop = this.#dropClose;
    if (drop === 'terminate') void connection.terminate();
    else void connection.close({ code: drop.code ?? DEFAULT_DROP_CLOSE.code, reason: drop.reason ?? DEFAULT_DROP_CLOSE.reason });
  }

  #settle(info: CloseInfo): void {
    if (this.#closeInfo) return;
    this.#closeInfo = info;
    const waiting = this.#whenClosed;
    this.#whenClosed = [];
    for (const resolve of waiting) resolve(info);
  }

  #closedError(action: string, cause?: Error): WsMockError {
    const id = this.#connection?.id ?? 'a connection';
    return connectionClosed(action, `the upstream of ${id}`, 'is closed', { close: this.#closeInfo, cause });
  }
}

/** The connection's upstream link, on a proxy mock. */
export function linkOf(connection: Connection): UpstreamLink | undefined {
  return links.get(connection);
}

/** Sends a client frame to the connection's upstream (a matcher with `forward: true`, or the proxy's last stage). */
export function forwardToUpstream(frame: InboundFrame): void {
  links.get(frame.connection)?.forward(frame);
}


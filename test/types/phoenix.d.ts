// The parts of the `phoenix` client (1.8) the tests use: the package ships no types.
declare module 'phoenix' {
  type Callback = (...args: any[]) => void;
  export interface SocketOptions {
    transport?: unknown;
    longPollFallbackMs?: number;
    params?: Record<string, unknown> | (() => Record<string, unknown>);
    vsn?: string;
    encode?: (msg: unknown, callback: (encoded: unknown) => void) => void;
    decode?: (raw: unknown, callback: (decoded: unknown) => void) => void;
    heartbeatIntervalMs?: number;
    reconnectAfterMs?: (tries: number) => number;
    rejoinAfterMs?: (tries: number) => number;
    timeout?: number;
    longpollerTimeout?: number;
    authToken?: string;
    logger?: (kind: string, msg: string, data: unknown) => void;
    binaryType?: string;
    sessionStorage?: unknown;
  }
  export class Push {
    receive(status: string, callback: (response?: any) => void): Push;
  }
  export class Channel {
    topic: string;
    state: string;
    join(timeout?: number): Push;
    leave(timeout?: number): Push;
    push(event: string, payload: unknown, timeout?: number): Push;
    on(event: string, callback: (payload?: any, ref?: any, joinRef?: any) => void): number;
    off(event: string, ref?: number): void;
    onClose(callback: Callback): void;
    onError(callback: (reason?: any) => void): number;
  }
  export class Socket {
    constructor(endPoint: string, opts?: SocketOptions);
    connect(): void;
    disconnect(callback?: () => void, code?: number, reason?: string): void;
    channel(topic: string, params?: Record<string, unknown>): Channel;
    isConnected(): boolean;
    onOpen(callback: Callback): string;
    onClose(callback: Callback): string;
    onError(callback: Callback): string;
    onMessage(callback: Callback): string;
    transport: unknown;
  }
  export class LongPoll {}
  /** The vsn 2.0.0 serializer the client encodes with and decodes with. */
  export const Serializer: {
    encode(msg: { join_ref: string | null; ref: string | null; topic: string; event: string; payload: unknown }, callback: (encoded: string | ArrayBuffer) => void): void;
    decode(raw: string | ArrayBuffer, callback: (msg: { join_ref: string | null; ref: string | null; topic: string; event: string; payload: any }) => void): void;
  };
  export class Presence {
    constructor(channel: Channel, opts?: unknown);
    onSync(callback: () => void): void;
    onJoin(callback: Callback): void;
    onLeave(callback: Callback): void;
    list<T = any>(by?: (key: string, presence: any) => T): T[];
  }
}

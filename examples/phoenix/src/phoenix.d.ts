// The parts of the `phoenix` client this app uses (the package ships no types).
declare module 'phoenix' {
  export interface Push {
    receive(status: string, callback: (response?: any) => void): Push;
  }
  export class Channel {
    join(): Push;
    leave(): Push;
    push(event: string, payload: object): Push;
    on(event: string, callback: (payload: any) => void): number;
    onError(callback: (reason?: unknown) => void): void;
  }
  export class Socket {
    constructor(endPoint: string, opts?: Record<string, unknown>);
    connect(): void;
    disconnect(): void;
    channel(topic: string, params?: object): Channel;
  }
  export class Presence {
    constructor(channel: Channel);
    onSync(callback: () => void): void;
    list<T>(by: (key: string, presence: { metas: any[] }) => T): T[];
  }
}

// The part of @rails/actioncable 8 (which ships no types) the tests use.
declare module '@rails/actioncable' {
  export interface Subscription {
    readonly identifier: string;
    perform(action: string, data?: Record<string, unknown>): boolean;
    send(data: Record<string, unknown>): boolean;
    unsubscribe(): Subscription;
  }
  export interface SubscriptionCallbacks {
    initialized?(): void;
    connected?(details: { reconnected: boolean }): void;
    disconnected?(details: { willAttemptReconnect: boolean }): void;
    rejected?(): void;
    received?(data: unknown): void;
  }
  export interface Consumer {
    readonly url: string;
    readonly subscriptions: {
      create(channel: string | Record<string, unknown>, callbacks?: SubscriptionCallbacks): Subscription;
      readonly subscriptions: Subscription[];
    };
    readonly connection: { isOpen(): boolean; getProtocol(): string | undefined };
    connect(): boolean;
    disconnect(): void;
    send(data: Record<string, unknown>): boolean;
  }
  export function createConsumer(url?: string): Consumer;
  export const adapters: { WebSocket: unknown; logger: unknown };
  export const ConnectionMonitor: { staleThreshold: number; reconnectionBackoffRate: number };
  export const INTERNAL: { protocols: string[] };
}

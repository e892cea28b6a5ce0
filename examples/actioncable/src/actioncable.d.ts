// The part of @rails/actioncable (which ships no types) the app uses.
declare module '@rails/actioncable' {
  export interface Subscription {
    perform(action: string, data?: Record<string, unknown>): boolean;
    unsubscribe(): Subscription;
  }
  export interface Consumer {
    readonly subscriptions: {
      create(
        channel: Record<string, unknown>,
        callbacks: {
          connected?(): void;
          disconnected?(details: { willAttemptReconnect: boolean }): void;
          rejected?(): void;
          received?(data: unknown): void;
        },
      ): Subscription;
    };
    disconnect(): void;
  }
  export function createConsumer(url?: string): Consumer;
  export const adapters: { WebSocket: unknown };
}

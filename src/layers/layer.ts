//
// The layer contract: what a capability that is not a protocol (chaos, a
// proxy, the recorder) adds to a server, through the same seams a kit's
// stages use. A layer may contribute three things, all optional:
//
//   1. per mock, a `PipelineLayer` (pipeline/stage.ts): stages before and
//      after the mock's own (record: connect/disconnect hooks; proxy: the
//      intercept outbound stage, first, and the forward inbound stage, last)
//      and a wrapper around the pipeline's two ends (chaos: the network);
//   2. a step of the upgrade's decision chain (chaos: handshake faults; proxy:
//      dial the upstream while the handshake is held);
//   3. a server-level service with `reset()`/`close()` (ServerChaos,
//      Recordings, UpstreamOwner) and the server methods it backs.
//
// The server lists its layers in one place (server/layers.ts); the pipeline,
// the upgrade and the server call these hooks only, never a layer by name.
//
import type { IncomingMessage } from 'node:http';
import type { Connection } from '../connections/Connection.js';
import type { CompiledMock } from '../mocks/compile.js';
import type { Mock, MockConfigBase } from '../mocks/Mock.js';
import type { PipelineLayer } from '../pipeline/stage.js';

/** A handshake refused by a hook: the status, the body (JSON, or text) and extra headers. */
export interface HookRefusal {
  readonly status: number;
  readonly body: Record<string, unknown> | string;
  readonly headers?: Record<string, string>;
}

/**
 * What a hook accepted for the client (a proxy's upstream): the subprotocol
 * it chose, and what the connection takes over before its pipeline starts.
 */
export interface Adoption {
  /** The subprotocol the client is accepted with (undefined: none). */
  readonly protocol: string | undefined;
  /** The accepted client's connection takes it over. */
  adopt(connection: Connection): void;
  /** The client was not accepted: release it. Does nothing once adopted. */
  discard(): void;
}

/**
 * A handshake held while something settles (a delay, a dial). The client may
 * leave and the server may close meanwhile: then `abort()` releases what the
 * wait holds, and the outcome is ignored.
 */
export interface HeldWait<T> {
  readonly outcome: Promise<T>;
  abort?(): void;
  /** `reset()` drops it too: what it waits for belongs to a mock that reset removes. */
  readonly dropOnReset?: boolean;
}

/** What a hook decides right away: go on (undefined), refuse, or accept with an adoption. */
export type HookVerdict = { refuse: HookRefusal } | { adopt: Adoption } | undefined;

/** What a hook answers: a verdict now, or a held handshake settling into one. */
export type HookAnswer = HookVerdict | { hold: HeldWait<HookVerdict> };

/** What the decision chain tells a hook about one handshake. */
export interface HandshakeContext {
  readonly request: IncomingMessage;
  readonly mock: Mock;
  readonly compiled: CompiledMock;
  /** The subprotocols the client offered. */
  readonly offered: readonly string[];
}

/**
 * A step of the upgrade's decision chain (server/upgrade.ts).
 *
 * `route` hooks run as soon as an enabled mock is found, before the mock's own
 * rules (as the network would); after a hold the path is routed again and
 * the chain goes on past this hook. `accepted` hooks run once the mock's rules
 * accepted the client, before it is upgraded; after a hold, a mock that
 * changed meanwhile decides afresh. An adoption is only meaningful there.
 */
export interface HandshakeHook {
  readonly at: 'route' | 'accepted';
  decide(handshake: HandshakeContext): HookAnswer;
}

/** A layer of the server: each part optional (see the top of this file). */
export interface Layer {
  readonly name: string;
  /** What the layer adds to mock `mockId`'s pipelines. */
  pipeline?(mockId: string): PipelineLayer | undefined;
  /** Its step in the upgrade's decision chain. */
  readonly handshake?: HandshakeHook;
  /** A version of mock `mockId` was compiled from `config` into `compiled` (what the layer keeps of it, it keys by `compiled`). */
  compiled?(mockId: string, config: MockConfigBase, compiled: CompiledMock): void;
  /** Mock `mockId` is gone (removed, or never added). */
  removed?(mockId: string): void;
  /** What the server's failure messages end with (the chaos seed), while the layer has something to say. */
  note?(): string | undefined;
  /** `server.reset()`, once the mocks are removed: back to how the server started. */
  reset?(): void | Promise<void>;
  /** `server.close()`, once every connection is closed: release what the layer holds. */
  close?(): Promise<void>;
}

//
// The base handle of a kit's mocks: the lifecycle every mock has (Mock), the
// race-free connection wait returning the kit's connection handles. A kit
// that names no handle class gets PlainKitMock, which adds a broadcast of raw
// frames (its `mock` methods go on a subclass of that); a handle class
// extends KitMock and broadcasts in its protocol's terms, if at all.
//
import type { Connection } from '../connections/Connection.js';
import type { ConnectionGroup, WaitForConnectionOptions } from '../connections/ConnectionGroup.js';
import type { BroadcastExcept } from '../connections/ConnectionManager.js';
import type { SendData, SendOptions } from '../connections/types.js';
import { groupOf, Mock, stateOf, type MockConfigBase } from '../mocks/Mock.js';
import { quietWait } from '../util/promise.js';
import { transcriptOfAll, type TranscriptOptions } from '../connections/transcript.js';
import type { KitState } from './handles.js';
import type { KitConnection } from './KitConnection.js';

/**
 * A mock of a kit, as `server.mocks.add(kit, config)` returns it: the
 * lifecycle of every mock (`update()` closes its clients with 1012,
 * `enable()`, `disable()`, `remove()`, `toJSON()`), `waitForConnection()`
 * returning the kit's connection handles. A kit's handle class extends it;
 * `protected broadcastFrames(data)` sends a frame to every open connection
 * for the class's own broadcast in the protocol's terms.
 *
 * @beta
 */
export class KitMock<Config extends MockConfigBase = MockConfigBase, C = KitConnection> extends Mock<Config> {
  /**
   * Resolves with the next connection not yet returned by an earlier call on
   * this handle (including connections that arrived before the call), as the
   * kit's connection handle. `{ open: true }` resolves once the client has
   * answered a ping.
   */
  waitForConnection(options: WaitForConnectionOptions = {}): Promise<C> {
    return quietWait(async () => this.handleOf(await groupOf(this).waitForConnection(options)));
  }

  /**
   * The transcript of every connection of this mock, in order of arrival:
   * the frames its connections' journals hold, in the kit's wire format (a
   * Socket.IO mock's are its packets, such as `text "2[\"chat\",\"hi\"]"`),
   * as `WebSocketMock.transcript()` writes them.
   */
  transcript(options?: TranscriptOptions): string {
    return transcriptOfAll(groupOf(this).connections(), options);
  }

  /** The kit's handle of one of this mock's connections (a {@link KitConnection} with the kit's methods). */
  protected handleOf(connection: Connection): C {
    return stateOf<KitState>(this).handles.handle(connection) as C;
  }

  /** The mock's connections: what its waits and a kit's `Arrivals` belong to. */
  protected get connectionGroup(): ConnectionGroup {
    return groupOf(this);
  }

  /** What the kit's `state()` hook made for this mock (undefined without one). */
  protected get kitState(): unknown {
    return stateOf<KitState>(this).own;
  }
}

/**
 * The handle of a kit's mocks when the kit names no handle class: a
 * {@link KitMock} with `broadcast()` of raw frames, and the kit's `mock`
 * methods.
 *
 * @beta
 */
export class PlainKitMock<Config extends MockConfigBase = MockConfigBase, C = KitConnection> extends KitMock<Config, C> {
  /**
   * Sends `data` as one frame to every open connection of this mock (none of
   * `except`). Synchronous: returns the number of recipients.
   */
  broadcast(data: SendData, options: SendOptions & { except?: BroadcastExcept } = {}): number {
    return this.broadcastFrames(data, options);
  }
}

//
// What a Socket.IO mock keeps across its versions: its sockets and their
// arrivals (ioStage.ts), the Engine.IO sessions by sid (engineServer.ts), and
// the recovery log while a version keeps `connectionStateRecovery` on.
//
import { ConnectionArrivals, type ConnectionGroup } from '../../kit/index.js';
import type { SessionTable } from './engineServer.js';
import type { IoState } from './ioStage.js';
import type { SocketIoSocket } from './SocketIoSocket.js';

/** The Socket.IO kit's state (its `state()` hook), one per mock. */
export interface SocketIoState extends IoState {
  readonly sessions: SessionTable;
}

/** A new mock's state, over its connections. */
export function socketIoState(group: ConnectionGroup): SocketIoState {
  const open = new Set<SocketIoSocket>();
  return {
    group,
    open,
    sessions: new Map(),
    recovery: undefined,
    arrivals: new ConnectionArrivals<SocketIoSocket>(group, (socket) => `${socket.id} (${socket.namespace})`),
    sockets: () => open,
  };
}

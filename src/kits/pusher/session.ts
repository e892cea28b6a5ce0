//
// One client's side of the protocol: its socket_id, whether its app key was
// the mock's, the channels it is subscribed to (with its member on presence
// channels), and the user it signed in as.
//
import type { Connection } from '../../kit/index.js';
import type { PusherMember } from './types.js';

/** The state of one connection. */
export class PusherSession {
  readonly connection: Connection;
  /** Pusher's socket id: two integers joined by a dot. */
  readonly socketId: string;
  /** False when the client's app key was not the mock's (it got 4001 and is closing). */
  accepted = true;
  /** Subscribed channels, in subscription order, with the member on a presence channel. */
  readonly channels = new Map<string, PusherMember | undefined>();
  /** The `user_data` of a `pusher:signin` the mock accepted. */
  user: Record<string, unknown> | undefined;

  constructor(connection: Connection, socketId: string) {
    this.connection = connection;
    this.socketId = socketId;
  }
}

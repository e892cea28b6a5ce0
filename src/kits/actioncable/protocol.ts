//
// The actioncable-v1-json wire protocol, as Rails 8.1's Action Cable server
// speaks it: the frames the server writes, and the commands a client sends,
// parsed the way the server reads them. Rails never answers a command it
// cannot execute (not JSON, an unknown command, a missing or unknown
// identifier, an action a channel lacks): it logs it and goes on, the
// connection stays open. The parser says why a command is ignored, for the
// mock's `ignored` list, which stands in for that log.
//

/** The subprotocol the client and the server speak. */
export const ACTIONCABLE_PROTOCOL = 'actioncable-v1-json';

/**
 * What a server accepts: the protocol, then `actioncable-unsupported`, the
 * client's last offer, which a server that does not speak its version picks
 * so that the client disconnects.
 */
export const ACTIONCABLE_SUBPROTOCOLS: readonly string[] = [ACTIONCABLE_PROTOCOL, 'actioncable-unsupported'];

/**
 * Why the server disconnects a client, as Rails names them; a mock may send
 * any other string too.
 */
export type ActionCableDisconnectReason = 'unauthorized' | 'invalid_request' | 'server_restart' | 'remote' | (string & {});

/** The params of a subscription: its identifier's fields but `channel`. */
export type ActionCableParams = Record<string, unknown>;

/** A client command, parsed; `ignored` says why the server does nothing with it. */
export type ActionCableCommand =
  | { readonly command: 'subscribe'; readonly identifier: string; readonly channel: string; readonly params: ActionCableParams }
  | { readonly command: 'unsubscribe'; readonly identifier: string }
  | { readonly command: 'message'; readonly identifier: string; readonly action: string; readonly data: Record<string, unknown> }
  | { readonly command: 'ignored'; readonly reason: string };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const ignored = (reason: string): ActionCableCommand => ({ command: 'ignored', reason });

/** A value in a reason, cut at 60 characters. */
function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

/** Ruby's `blank?` for a string: empty or white space only. */
const blank = (text: string) => text.trim() === '';

/** Ruby's `blank?` for a JSON value. */
function isBlank(value: unknown): boolean {
  if (value === undefined || value === null || value === false) return true;
  if (typeof value === 'string') return blank(value);
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && Object.keys(value).length === 0;
}

/**
 * The channel and params an identifier names. Rails decodes the identifier
 * as JSON into a hash and constantizes its `channel`: an identifier that is
 * not a JSON object with a string `channel` fails there.
 */
export function parseIdentifier(identifier: unknown): { channel: string; params: ActionCableParams } | { reason: string } {
  if (typeof identifier !== 'string' || blank(identifier)) return { reason: `the identifier must be a JSON string, got ${show(identifier)}` };
  let decoded: unknown;
  try {
    decoded = JSON.parse(identifier);
  } catch {
    return { reason: `the identifier ${show(identifier)} is not JSON` };
  }
  if (!isObject(decoded)) return { reason: `the identifier ${show(identifier)} is not a JSON object` };
  const { channel, ...params } = decoded;
  if (typeof channel !== 'string' || channel === '') return { reason: `the identifier ${show(identifier)} names no channel (a non-empty string "channel")` };
  return { channel, params };
}

/**
 * Parses one frame from the client. A binary frame, text that is not a JSON
 * object, an unknown `command`, or a command missing what it needs is
 * `ignored`, with the reason; whether the identifier names a subscription
 * of the connection is for the caller to check.
 */
export function parseCommand(text: string | undefined): ActionCableCommand {
  if (text === undefined) return ignored('a binary frame (the protocol is JSON text)');
  let frame: unknown;
  try {
    frame = JSON.parse(text);
  } catch {
    return ignored('the frame is not JSON');
  }
  if (!isObject(frame)) return ignored(`the frame is not a JSON object: ${show(frame)}`);
  const { command, identifier } = frame;
  switch (command) {
    case 'subscribe': {
      const parsed = parseIdentifier(identifier);
      return 'reason' in parsed ? ignored(parsed.reason) : { command, identifier: identifier as string, ...parsed };
    }
    case 'unsubscribe':
      if (typeof identifier !== 'string' || blank(identifier)) return ignored(`unsubscribe needs an identifier string, got ${show(identifier)}`);
      return { command, identifier };
    case 'message': {
      if (typeof identifier !== 'string') return ignored(`message needs an identifier string, got ${show(identifier)}`);
      if (typeof frame.data !== 'string') return ignored(`message needs "data", a JSON string, got ${show(frame.data)}`);
      let data: unknown;
      try {
        data = JSON.parse(frame.data);
      } catch {
        return ignored(`the data of a message is not JSON: ${show(frame.data)}`);
      }
      if (!isObject(data)) return ignored(`the data of a message is not a JSON object: ${show(data)}`);
      // A message without an action, or a blank one (Ruby's `blank?`: nil, false, "", white space, [] or {}), performs the channel's `receive`.
      const { action } = data;
      if (isBlank(action)) return { command, identifier, action: 'receive', data };
      if (typeof action !== 'string') return ignored(`the action of a message must be a string, got ${show(action)}`);
      return { command, identifier, action, data };
    }
    default:
      return ignored(`unknown command ${show(command)} (the commands are "subscribe", "unsubscribe" and "message")`);
  }
}

/** `{"type":"welcome"}`: the connection is ready. */
export const WELCOME = '{"type":"welcome"}';

/** The heartbeat: `message` is the server's time in seconds. */
export function ping(seconds: number): { type: 'ping'; message: number } {
  return { type: 'ping', message: seconds };
}

/** The answer to a subscribe: confirmed or rejected. */
export function subscriptionAnswer(identifier: string, confirmed: boolean): { identifier: string; type: string } {
  return { identifier, type: confirmed ? 'confirm_subscription' : 'reject_subscription' };
}

/** The server tells the client it is closing the connection, and whether the client may reconnect. */
export function disconnect(reason: string | null, reconnect: boolean): { type: 'disconnect'; reason: string | null; reconnect: boolean } {
  return { type: 'disconnect', reason, reconnect };
}

//
// The Socket.IO mock's config: the documented types, the zod schemas the kit
// is defined with (the declarative fields for config files and the admin API,
// and the in-process forms of the fields that take functions), and the
// envelope's fields.
//
import { duration, fn, orFunction, positiveInt, z, type MockConfigBase } from '../../kit/index.js';
import type { Assert, Same } from '../../util/typeChecks.js';
import type { SocketIoEventReply, SocketIoMockFields, SocketIoNamespaceFields, SocketIoRecoveryOptions, SocketIoRefusal } from './fields.js';
import type { SocketIoAck } from './ack.js';
import type { SocketIoSocket } from './SocketIoSocket.js';

export type { SocketIoEventReply, SocketIoMockFields, SocketIoNamespaceFields, SocketIoRecoveryOptions, SocketIoRefusal };

/**
 * An in-process handler: called with the event's arguments and the socket.
 * When the client asked for an ack, what it returns (or resolves with) is
 * the ack's one argument; `undefined` acks with none, and {@link ack}`(a, b)`
 * with several. A handler that throws or rejects, or whose ack cannot be sent,
 * acks with `{ error: message }` (and the server emits `error`).
 */
export type SocketIoEventFunction = (args: unknown[], socket: SocketIoSocket) => unknown | SocketIoAck | Promise<unknown>;

/**
 * Decides whether a socket may join its namespace, like a server middleware:
 * `true` or `undefined` accepts, `false` refuses with "Not authorized", a
 * {@link SocketIoRefusal} refuses with its message and data, and a thrown
 * error refuses with its message (and its `data` property). May be async.
 */
export type SocketIoConnectHook = (
  socket: SocketIoSocket,
) => boolean | void | SocketIoRefusal | Promise<boolean | void | SocketIoRefusal>;

/** A namespace in-process: handlers may be functions, and a `connect` hook decides per socket. */
export interface SocketIoNamespaceConfig {
  /** Handlers by event name: a declarative reply or a function returning the ack. */
  events?: Record<string, SocketIoEventReply | SocketIoEventFunction>;
  /** Refuses every socket of the namespace with this `connect_error`. */
  refuse?: SocketIoRefusal;
  /** In-process: decides per socket. */
  connect?: SocketIoConnectHook;
}

/** The config of `server.socketio()`: the declarative fields, functions allowed, and identity. */
export interface SocketIoMockConfig extends MockConfigBase, Omit<SocketIoMockFields, 'events' | 'namespaces'> {
  /** Handlers of the main namespace `/`: a declarative reply or a function returning the ack. */
  events?: Record<string, SocketIoEventReply | SocketIoEventFunction>;
  /** In-process: decides per socket of the main namespace. */
  connect?: SocketIoConnectHook;
  /** Other namespaces the mock serves. */
  namespaces?: Record<string, SocketIoNamespaceConfig>;
}

const NAMESPACE_RULE = 'must start with "/" and contain no "," or "?"';

const reply = z.strictObject({
  emit: z.tuple([z.string().min(1, 'must start with the event name')], z.unknown()).optional(),
  ack: z.array(z.unknown()).optional(),
});
const refusal = z.strictObject({ message: z.string(), data: z.unknown().optional() });
const namespaceName = z.string().regex(/^\/[^,?]*$/, NAMESPACE_RULE);

const eventName = z.string().min(1, 'event names must not be empty');
const events = z.record(eventName, reply);
const inProcessEvents = z.record(eventName, orFunction<typeof reply, SocketIoEventFunction>(reply));
const namespace = z.strictObject({ events: events.optional(), refuse: refusal.optional() });
const inProcessNamespace = z.strictObject({
  events: inProcessEvents.optional(),
  refuse: refusal.optional(),
  connect: fn<SocketIoConnectHook>('connect').optional(),
});

/** The declarative fields of a Socket.IO mock (the envelope's `socketio`, JSON values only; `path` is the seam's). */
export const socketIoSchema = z.object({
  pingInterval: duration.optional(),
  pingTimeout: duration.optional(),
  connectTimeout: duration.optional(),
  maxPayload: positiveInt('bytes').optional(),
  connectionStateRecovery: z
    .strictObject({ maxDisconnectionDuration: duration.optional(), skipMiddlewares: z.boolean().optional() })
    .optional(),
  events: events.optional(),
  refuse: refusal.optional(),
  namespaces: z.record(namespaceName, namespace).optional(),
});

/** The fields whose in-process form differs: handlers may be functions, namespaces have `connect` hooks. */
export const socketIoInProcess = {
  events: inProcessEvents.optional(),
  namespaces: z.record(namespaceName, inProcessNamespace).optional(),
  connect: fn<SocketIoConnectHook>('connect').optional(),
};

// Compile-time proof that the schemas and the documented interfaces agree.
export type _SocketIoFieldsAgree = Assert<Same<keyof z.input<typeof socketIoSchema> | 'path', keyof SocketIoMockFields>>;
export type _SocketIoConfigAgrees = Assert<
  Same<keyof z.input<typeof socketIoSchema> | keyof typeof socketIoInProcess | keyof MockConfigBase, keyof SocketIoMockConfig>
>;

/** The envelope's fields: identity, hooks and function handlers left out. */
export function socketIoEnvelopeFields(config: SocketIoMockConfig): Record<string, unknown> {
  const { id: _id, name: _name, enabled: _enabled, connect: _connect, events, namespaces, ...rest } = config;
  const fields: Record<string, unknown> = { ...rest };
  const declarativeEvents = (handlers: SocketIoNamespaceConfig['events']) =>
    handlers && Object.fromEntries(Object.entries(handlers).filter(([, handler]) => typeof handler !== 'function'));
  if (events) fields.events = declarativeEvents(events);
  if (namespaces) {
    fields.namespaces = Object.fromEntries(
      Object.entries(namespaces).map(([name, { connect: _hook, events: handlers, ...ns }]) => [
        name,
        handlers ? { ...ns, events: declarativeEvents(handlers) } : ns,
      ]),
    );
  }
  return fields;
}

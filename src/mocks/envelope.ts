//
// The envelope: how config files and the admin API write a mock of any kind,
// `{ id?, name?, type, enabled?, <type>: fields }`. Which types exist is the
// server's (its MockKinds): a kit's envelope is valid where the kit is registered.
//
import { invalidConfig } from '../errors.js';
import type { MockKinds } from './kinds.js';
import type { Mock, MockConfigBase, MockKind } from './Mock.js';
import type { MockEnvelope, WebSocketEnvelope, WebSocketMockConfig } from './types.js';
import { toConfigIssues } from './validate.js';
import { withKnownKeys } from './unknownFields.js';

/** Validates a config-file or admin-API envelope against the kinds of a server; throws `WSMOCK_ERR_INVALID_CONFIG`. */
export function validateEnvelope(kinds: MockKinds, envelope: unknown): MockEnvelope {
  const result = kinds.envelopeSchema.safeParse(envelope, withKnownKeys);
  if (!result.success) throw invalidConfig('mock envelope', toConfigIssues(result.error));
  return envelope as MockEnvelope;
}

/** Converts an envelope into the flat form `server.websocket()` (or `server.mocks.add(kit, …)`) takes. */
export function envelopeToConfig(envelope: WebSocketEnvelope): WebSocketMockConfig;
export function envelopeToConfig(envelope: MockEnvelope): MockConfigBase;
export function envelopeToConfig(envelope: MockEnvelope): MockConfigBase {
  const fields = (envelope as unknown as Record<string, MockConfigBase>)[envelope.type]!;
  const config: MockConfigBase = { ...fields };
  if (envelope.id !== undefined) config.id = envelope.id;
  if (envelope.name !== undefined) config.name = envelope.name;
  if (envelope.enabled !== undefined) config.enabled = envelope.enabled;
  return config;
}

/** Whether `value` is in the envelope form (it has a `type`) rather than the flat form of `server.websocket()`. */
export function isEnvelope(value: unknown): value is MockEnvelope {
  return typeof value === 'object' && value !== null && 'type' in value;
}

/** Validates an envelope and the config it holds, as its kind would; returns both. */
export function configOfEnvelope(kinds: MockKinds, input: unknown): { envelope: MockEnvelope; kind: MockKind<MockConfigBase, Mock, unknown>; config: MockConfigBase } {
  const envelope = validateEnvelope(kinds, input);
  const kind = kinds.get(envelope.type)!;
  const config = kind.validate(envelopeToConfig(envelope));
  return { envelope, kind, config };
}

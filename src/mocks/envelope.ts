//
// The envelope: how config files and the admin API write a mock of any kind,
// `{ id?, name?, type, enabled?, <type>: fields }`.
//
import { z } from 'zod';
import { invalidConfig } from '../errors.js';
import { kindOf, MOCK_KINDS } from './kinds.js';
import type { MockConfigBase } from './Mock.js';
import { identity } from './schema.js';
import type { MockEnvelope, WebSocketEnvelope, WebSocketMockConfig } from './types.js';
import { toConfigIssues } from './validate.js';
import { proxyFieldIssues } from '../proxy/schema.js';
import { withKnownKeys } from './unknownFields.js';

const types = MOCK_KINDS.map((kind) => kind.type);

/** The envelope schema: one strict object per kind, told apart by `type`. */
export const envelopeSchema = z.discriminatedUnion(
  'type',
  MOCK_KINDS.map((kind) => {
    const envelope = z.strictObject({ ...identity, type: z.literal(kind.type), [kind.type]: kind.declarative });
    if (kind.type !== 'websocket') return envelope;
    // The rules between a WebSocket mock's fields and `proxy`, here too so a
    // config file's error names its line (the in-process form checks them as well).
    return envelope.check((ctx) => {
      const fields = (ctx.value as { websocket?: Record<string, unknown> }).websocket;
      if (!fields) return;
      for (const issue of proxyFieldIssues(fields)) ctx.issues.push({ code: 'custom', path: ['websocket', ...issue.path], message: issue.message, input: fields });
    });
  }) as unknown as [
    z.ZodObject,
    ...z.ZodObject[],
  ],
  { error: (issue) => (issue.code === 'invalid_union' ? `must be one of ${types.map((t) => `"${t}"`).join(', ')}` : undefined) },
);

/** Validates a config-file or admin-API envelope; throws `WSMOCK_ERR_INVALID_CONFIG`. */
export function validateEnvelope(envelope: unknown): MockEnvelope {
  const result = envelopeSchema.safeParse(envelope, withKnownKeys);
  if (!result.success) throw invalidConfig('mock envelope', toConfigIssues(result.error));
  return envelope as MockEnvelope;
}

/** Converts an envelope into the flat form `server.websocket()` (or the kit's method) takes. */
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

/** Validates an envelope and the config it holds, as its kind's method would; returns both. */
export function configOfEnvelope(input: unknown): { envelope: MockEnvelope; kind: NonNullable<ReturnType<typeof kindOf>>; config: MockConfigBase } {
  const envelope = validateEnvelope(input);
  const kind = kindOf(envelope.type)!;
  const config = kind.validate(envelopeToConfig(envelope));
  return { envelope, kind, config };
}

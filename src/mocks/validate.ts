import type { z } from 'zod';
import { invalidConfig, type ConfigIssue } from '../errors.js';
import { declarative, inProcess } from './schema.js';
import type { MockEnvelope, WebSocketMockConfig } from './types.js';

/** Formats a zod issue path as `matchers[2].match.type`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

/** Turns zod's issues into wsmock's: one per problem, each with a field path and a rule. */
export function toConfigIssues(error: z.ZodError, prefix: readonly PropertyKey[] = []): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const issue of error.issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) issues.push({ path: formatPath([...path, key]), message: 'is not a known field' });
      continue;
    }
    let message = issue.message;
    if (issue.code === 'invalid_type' && /received undefined$/.test(message)) message = 'is required';
    else if (message.startsWith('Invalid input: expected')) message = message.replace('Invalid input: expected', 'must be');
    else if (message.startsWith('Invalid option: expected one of')) message = message.replace('Invalid option: expected one of', 'must be one of');
    issues.push({ path: formatPath(path), message });
  }
  return issues;
}

/** Validates the argument of `server.websocket()`; throws `WSMOCK_ERR_INVALID_CONFIG` naming every bad field. */
export function validateMockConfig(config: unknown): WebSocketMockConfig {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw invalidConfig('mock config', [{ path: '', message: 'must be an object with at least a "path"' }]);
  }
  const result = inProcess.inProcessMock.safeParse(config);
  if (!result.success) throw invalidConfig('mock config', toConfigIssues(result.error));
  return config as WebSocketMockConfig;
}

/** Validates a config-file or admin-API envelope; throws `WSMOCK_ERR_INVALID_CONFIG`. */
export function validateEnvelope(envelope: unknown): MockEnvelope {
  const result = declarative.envelope.safeParse(envelope);
  if (!result.success) throw invalidConfig('mock envelope', toConfigIssues(result.error));
  return envelope as MockEnvelope;
}

/** Converts an envelope into the flat form `server.websocket()` takes. */
export function envelopeToConfig(envelope: MockEnvelope): WebSocketMockConfig {
  const config: WebSocketMockConfig = { ...envelope.websocket };
  if (envelope.id !== undefined) config.id = envelope.id;
  if (envelope.name !== undefined) config.name = envelope.name;
  if (envelope.enabled !== undefined) config.enabled = envelope.enabled;
  return config;
}

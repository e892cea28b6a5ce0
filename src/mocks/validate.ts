import type { z } from 'zod';
import { invalidConfig, type ConfigIssue } from '../errors.js';
import { unknownFieldMessage, withKnownKeys } from './unknownFields.js';
import { inProcess } from './schema.js';
import type { WebSocketMockConfig } from './types.js';
import { treeProblem } from '../util/treeProblem.js';

/** Formats a zod issue path as `matchers[2].match.type`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

/** One zod issue in wsmock's words, with its path still as segments. */
export interface RawIssue {
  segments: PropertyKey[];
  message: string;
}

/** Turns zod's issues into wsmock's: one per problem, each with a rule that says what is expected. */
export function rawIssues(error: z.ZodError, prefix: readonly PropertyKey[] = []): RawIssue[] {
  const issues: RawIssue[] = [];
  for (const issue of error.issues) {
    const segments = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) issues.push({ segments: [...segments, key], message: unknownFieldMessage(issue, key) });
      continue;
    }
    let message = issue.message;
    if (issue.code === 'invalid_type' && /received undefined$/.test(message)) message = 'is required';
    else if (message.startsWith('Invalid input: expected')) message = message.replace('Invalid input: expected', 'must be');
    else if (message.startsWith('Invalid option: expected one of')) message = message.replace('Invalid option: expected one of', 'must be one of');
    issues.push({ segments, message });
  }
  return issues;
}

/** Like {@link rawIssues}, with dotted field paths. */
export function toConfigIssues(error: z.ZodError, prefix: readonly PropertyKey[] = []): ConfigIssue[] {
  return rawIssues(error, prefix).map((i) => ({ path: formatPath(i.segments), message: i.message }));
}

/**
 * Validates an in-process mock config against its kind's schema; throws
 * `WSMOCK_ERR_INVALID_CONFIG` naming every bad field. `what` names the config
 * in the message (`mock config`, `GraphQL mock config`). The config itself is
 * returned, not zod's copy: functions and Buffers stay as given.
 */
export function validateWith<Config>(schema: z.ZodType, what: string, config: unknown): Config {
  parseWith(schema, what, config);
  return config as Config;
}

/**
 * Like {@link validateWith}, but returns zod's output: the schema's defaults
 * filled in (a kit's config; functions are passed through as given).
 */
export function parseWith<Config>(schema: z.ZodType, what: string, config: unknown): Config {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw invalidConfig(what, [{ path: '', message: 'must be an object with at least a "path"' }]);
  }
  // A config that contains itself would overflow the stack where it is copied (cloneConfig), not name the field.
  const cycle = treeProblem(config);
  if (cycle) throw invalidConfig(what, [{ path: cycle.path.replace(/^\$\.?/, ''), message: `${cycle.problem}: a config must be a tree` }]);
  const result = schema.safeParse(config, withKnownKeys);
  if (!result.success) throw invalidConfig(what, toConfigIssues(result.error));
  return result.data as Config;
}

/** Validates the argument of `server.websocket()`; throws `WSMOCK_ERR_INVALID_CONFIG` naming every bad field. */
export function validateMockConfig(config: unknown): WebSocketMockConfig {
  return validateWith(inProcess.inProcessMock, 'mock config', config);
}

//
// The zod schema of a proxy mock's `proxy` field, and the rules that tie a
// mock's other fields to it. Built by mocks/schema.ts (which owns the
// subprotocol token rule); the compile-time check there keeps it in step with
// types.ts.
//
import { z } from 'zod';
import { CLOSE_CODE_RULE, CLOSE_REASON_RULE, isValidCloseCode, isValidCloseReason } from '../util/closeCodes.js';

/** The rule an upstream URL follows, for messages. */
export const UPSTREAM_URL_RULE = 'must be a ws: or wss: URL, e.g. "ws://127.0.0.1:8080/feed"';

/** The problem with an upstream URL, or undefined when it is one. */
export function checkUpstreamUrl(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `${UPSTREAM_URL_RULE}; "${value}" is not a URL`;
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') return `${UPSTREAM_URL_RULE}; "${value}" uses ${url.protocol}`;
  return undefined;
}

/** The `proxy` schema, with the subprotocol list and duration schemas of the mock fields. */
export function proxySchema(subprotocols: z.ZodType, duration: z.ZodType) {
  return z.strictObject({
    url: z.string({ error: `is required and ${UPSTREAM_URL_RULE}` }).check((ctx) => {
      const problem = checkUpstreamUrl(ctx.value);
      if (problem) ctx.issues.push({ code: 'custom', message: problem, input: ctx.value });
    }),
    headers: z.record(z.string(), z.string()).optional(),
    forwardHeaders: z.union([z.boolean(), z.array(z.string().min(1, 'must be a header name'))], {
      error: 'must be true, false or a list of header names',
    }).optional(),
    subprotocols: subprotocols.optional(),
    handshakeTimeout: duration.optional(),
    dropClose: z
      .union(
        [
          z.literal('terminate'),
          z.strictObject({
            code: z.int().refine(isValidCloseCode, CLOSE_CODE_RULE).optional(),
            reason: z.string().refine(isValidCloseReason, CLOSE_REASON_RULE).optional(),
          }),
        ],
        { error: 'must be "terminate" or { code?, reason? }' },
      )
      .optional(),
  });
}

/** A mock's fields as far as the proxy rules read them. */
interface ProxyFields {
  proxy?: unknown;
  intercept?: unknown;
  onUpstreamMessage?: unknown;
  echoMode?: unknown;
  subprotocols?: unknown;
  matchers?: unknown;
}

/**
 * The rules between a mock's fields and `proxy`: `intercept`,
 * `onUpstreamMessage` and `forward` need it; with it, echo cannot be on (what
 * nothing answers goes upstream) and the upstream chooses the subprotocol.
 */
export function proxyFieldIssues(fields: ProxyFields): { path: PropertyKey[]; message: string }[] {
  const issues: { path: PropertyKey[]; message: string }[] = [];
  if (fields.proxy === undefined) {
    if (fields.intercept !== undefined) issues.push({ path: ['intercept'], message: 'is only used by a proxy mock: add "proxy: { url }"' });
    if (fields.onUpstreamMessage !== undefined) issues.push({ path: ['onUpstreamMessage'], message: 'is only used by a proxy mock: add "proxy: { url }"' });
    if (Array.isArray(fields.matchers)) {
      fields.matchers.forEach((m: { forward?: unknown } | undefined, i) => {
        if (m?.forward !== undefined) issues.push({ path: ['matchers', i, 'forward'], message: 'is only used by a proxy mock: add "proxy: { url }"' });
      });
    }
    return issues;
  }
  if (fields.echoMode === true) issues.push({ path: ['echoMode'], message: 'cannot be true on a proxy mock: what nothing answers goes to the upstream' });
  if (fields.subprotocols !== undefined) {
    issues.push({ path: ['subprotocols'], message: 'is not used by a proxy mock: the upstream chooses; list what it is offered in "proxy.subprotocols"' });
  }
  return issues;
}

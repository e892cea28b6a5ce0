//
// A remote mock's config crosses a process boundary as JSON: a function in it
// cannot. Each one is refused before anything is sent, naming its field and
// the declarative form that does the same over the wire.
//
import { invalidConfig, type ConfigIssue } from '../errors.js';

/** The declarative form of each field that also takes a function, by the field's name. */
const DECLARATIVE_FORMS: Readonly<Record<string, string>> = {
  respond: "use `response: { type: 'json', value: {...} }` (templates such as {{message.json.id}} read the frame), `responses` or a `scenario`",
  match: "use a match spec: `{ type: 'json', path: '$.type', value: 'join' }`, `{ type: 'exact', value: 'ping' }` or `{ type: 'regex', value: '^ping' }`",
  onConnection: 'use a `scenario` whose first step sends, or drive the connection from the test: `(await mock.waitForConnection()).send(…)`',
  onUpstreamMessage: 'use `matchers` on the proxy mock, or drive the connection from the test',
  subprotocols: 'use a list of names: `subprotocols: [\'chat\']`',
  verify: 'use `handshake: { status, headers, body }` to refuse handshakes, or take each client by `waitForConnection({ query, headers })`',
  resolve: 'use a declarative result (`result`, `error`, a template)',
};

function hintFor(key: string): string {
  return DECLARATIVE_FORMS[key] ?? 'use its JSON form (see the envelope format in docs/config-files.md)';
}

/**
 * Throws `WSMOCK_ERR_INVALID_CONFIG` listing every function in `config`
 * (at any depth) with its path and declarative form; `what` names the config.
 */
export function assertDeclarative(config: unknown, what: string): void {
  const issues: ConfigIssue[] = [];
  const seen = new Set<unknown>();
  const walk = (value: unknown, path: string, key: string) => {
    if (typeof value === 'function') {
      issues.push({ path, message: `is a function, which cannot be sent to a server in another process; ${hintFor(key)}` });
      return;
    }
    if (value instanceof RegExp) {
      issues.push({ path, message: `is a RegExp, which JSON cannot carry; use its source as a string: ${JSON.stringify(value.source)}` });
      return;
    }
    if (typeof value !== 'object' || value === null || seen.has(value) || Buffer.isBuffer(value)) return;
    seen.add(value);
    if (Array.isArray(value)) value.forEach((item, i) => walk(item, `${path}[${i}]`, key));
    else for (const [name, item] of Object.entries(value)) walk(item, path === '' ? name : `${path}.${name}`, name);
  };
  walk(config, '', '');
  if (issues.length > 0) throw invalidConfig(what, issues);
}

//
// Who may call the admin API from a browser. A page of another site can send
// a "simple" request (a POST with no body or a form body) with no preflight,
// and a page that rebinds its DNS name to 127.0.0.1 talks to the API as its
// own origin. The two checks dev servers make (Vite, webpack-dev-server) stop
// both: the `Host` must be a name the API answers to, and a browser's `Origin`
// must be the API's own. curl, the CLI and Node's fetch send no `Origin`.
//
import type { IncomingMessage } from 'node:http';
import { HttpError } from './httpErrors.js';
import { hostHeaderName, isRebindSafeName } from './hostRules.js';

/** Refuses a request whose `Host` or `Origin` a browser attack would send; passes the rest. */
export type RequestGuard = (req: IncomingMessage) => void;

/**
 * Builds the guard of one handler. `allowedHosts` undefined: no Host check
 * (a handler mounted in an app, whose own routes answer any Host anyway).
 * With a token there is no Host check either: a page that rebinds a name
 * cannot send the token. The Origin check is always made.
 */
export function createRequestGuard(token: string | undefined, allowedHosts: readonly string[] | undefined): RequestGuard {
  const checkHost = token === undefined && allowedHosts !== undefined;
  const names = ['IP addresses', 'localhost', ...(allowedHosts ?? [])].join(', ');
  return (req) => {
    const host = req.headers.host;
    if (checkHost && host !== undefined) {
      const name = hostHeaderName(host);
      if (name === undefined || !(isRebindSafeName(name) || allowedHosts!.includes(name))) {
        throw new HttpError(
          403,
          'forbidden_host',
          `The Host header "${host}" is not a name this admin API answers to (${names}): a web page that rebinds its DNS name to this machine sends such a header. ` +
            'Call the API by one of those names, add the name to the admin option allowedHosts, or set an admin token.',
        );
      }
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !sameOrigin(origin, host)) {
      throw new HttpError(
        403,
        'forbidden_origin',
        `The Origin header "${origin}" is not this admin API's own${host === undefined ? '' : ` (${host})`}: a page of another site may not call it. ` +
          'Use the dashboard this API serves, or call it without a browser (curl, the wsmock CLI, fetch in Node).',
      );
    }
  };
}

/** Whether `origin` (`scheme://host[:port]`) names the host and port the request was sent to. */
function sameOrigin(origin: string, host: string | undefined): boolean {
  if (host === undefined) return false;
  try {
    const from = new URL(origin);
    if (from.protocol !== 'http:' && from.protocol !== 'https:') return false;
    // The Host parsed with the Origin's scheme, so that default ports compare equal.
    return from.host === new URL(`${from.protocol}//${host}`).host;
  } catch {
    // `Origin: null` (a sandboxed frame, a file: page) and anything unparsable.
    return false;
  }
}

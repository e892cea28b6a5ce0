//
// Host names as the admin API's rules read them: `HOST[:PORT]` entries of
// `proxyAllow` (which upstreams a mock posted over HTTP may dial), and the
// names of the `Host` header it answers (DNS rebinding).
//
import { isIP } from 'node:net';

/** One allowed upstream: a host name or address, and a port or any. */
export interface HostRule {
  /** Lower case; an IPv6 address in brackets, as `URL.hostname` writes it. */
  readonly hostname: string;
  /** `undefined`: any port. */
  readonly port: number | undefined;
}

/** The rule a `proxyAllow` entry follows, for messages. */
export const HOST_RULE = 'must be HOST or HOST:PORT, e.g. "api.example.com", "127.0.0.1:8080" or "[::1]:8080" (no scheme, path or user)';

/** Parses `HOST` or `HOST:PORT`; undefined when it is neither. */
export function parseHostRule(value: string): HostRule | undefined {
  if (value === '' || /[/?#@\s\\]/.test(value)) return undefined;
  let url: URL;
  try {
    url = new URL(`ws://${value}`);
  } catch {
    return undefined;
  }
  // `ws://h:80` loses its port (the default), so read the port from the text itself.
  const port = /:(\d+)$/.exec(value)?.[1];
  const hostname = url.hostname.toLowerCase();
  if (hostname === '') return undefined;
  const written = port === undefined ? value : value.slice(0, -port.length - 1);
  // A name the URL parser rewrites (`127.1`, a trailing dot, unicode) would not match what is dialled as written.
  if (written.toLowerCase() !== hostname) return undefined;
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return undefined;
  return { hostname, port: port === undefined ? undefined : Number(port) };
}

/** A rule as written: `host`, `host:port`. */
export function formatHostRule(rule: HostRule): string {
  return rule.port === undefined ? rule.hostname : `${rule.hostname}:${rule.port}`;
}

/** Whether `url` (a `ws:`/`wss:` URL) is one of `rules`' upstreams. */
export function upstreamAllowed(url: URL, rules: readonly HostRule[]): boolean {
  const hostname = url.hostname.toLowerCase();
  const port = url.port === '' ? (url.protocol === 'wss:' ? 443 : 80) : Number(url.port);
  return rules.some((rule) => rule.hostname === hostname && (rule.port === undefined || rule.port === port));
}

/** The host name of a `Host` header (`name`, `name:port`, `[v6]:port`), lower case, without brackets. */
export function hostHeaderName(header: string): string | undefined {
  const match = /^(?:\[([0-9a-f:.]+)\]|([^:[\]]+))(?::\d*)?$/i.exec(header.trim());
  if (!match) return undefined;
  return (match[1] ?? match[2]!).toLowerCase().replace(/\.$/, '');
}

/**
 * Whether a `Host` name cannot be a rebound DNS name: an IP address (the
 * browser dialled the address itself, no DNS name was involved), `localhost`
 * or a name under `.localhost` (browsers resolve those to loopback themselves).
 */
export function isRebindSafeName(name: string): boolean {
  return isIP(name) !== 0 || name === 'localhost' || name.endsWith('.localhost');
}

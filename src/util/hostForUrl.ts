/**
 * The host part of a URL a client can dial for a server listening on `host`:
 * the wildcard addresses become loopback, IPv6 literals get brackets.
 */
export function hostForUrl(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

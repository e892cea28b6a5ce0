//
// issue 27: one route pattern covers a page's WebSockets and its HTTP requests
// under the same URL. The WebSocket side is matched by Playwright; the HTTP
// side by the pattern's twin, checked here without a browser.
//
import { describe, expect, it } from 'vitest';
import { asWebSocketUrl, checkRouteUrl, describeRouteUrl, httpPatternOf } from '../src/adapters/route/patterns.js';

describe('issue 27: route() patterns', () => {
  it("a glob's WebSocket scheme becomes the HTTP one; other globs are Playwright's as written", () => {
    expect(httpPatternOf('wss://api.example.com/**')).toBe('https://api.example.com/**');
    expect(httpPatternOf('ws://localhost:8080/socket.io/**')).toBe('http://localhost:8080/socket.io/**');
    expect(httpPatternOf('**/socket.io/**')).toBe('**/socket.io/**');
  });

  it('a RegExp or a predicate is asked about the request URL with a WebSocket scheme', () => {
    const regex = httpPatternOf(/^wss:\/\/api\.example\.com\/socket\.io\//g) as (url: URL) => boolean;
    expect(regex(new URL('https://api.example.com/socket.io/?EIO=4&transport=polling'))).toBe(true);
    expect(regex(new URL('https://api.example.com/socket.io/?EIO=4&transport=polling'))).toBe(true); // a /g RegExp keeps no state between calls
    expect(regex(new URL('https://other.example.com/socket.io/'))).toBe(false);
    const seen: string[] = [];
    const predicate = httpPatternOf((url) => (seen.push(url.href), url.protocol === 'ws:')) as (url: URL) => boolean;
    expect(predicate(new URL('http://api.test/feed'))).toBe(true);
    expect(seen).toEqual(['ws://api.test/feed']);
    expect(asWebSocketUrl('HTTPS://a/b')).toBe('wss://a/b');
  });

  it('a pattern of the wrong kind is refused naming the argument; a predicate is named by its function', () => {
    expect(() => checkRouteUrl(42)).toThrow('wsmock route: url must be a glob (wss://api.example.com/**), a RegExp or a (url: URL) => boolean, got number');
    expect(() => checkRouteUrl(null)).toThrow(/got null/);
    expect(describeRouteUrl(function onlyFeeds() { return true; })).toBe('a predicate (onlyFeeds)');
    expect(describeRouteUrl(/x/i)).toBe('/x/i');
  });
});

//
// How jest-websocket-mock's own tests (read at test time from the installed
// package, never copied here) are adapted to real sockets. Every edit names the
// test it changes, the exact original text and its replacement, and why; the
// comment `// wsmock: <why>` is inserted at the change. A snippet that is not
// found exactly once in its test fails the run, so an upgrade of the original
// cannot skip an edit silently.
//
// Changed tests, of the original's 34 (websocket.test.ts 15, matchers.test.ts 19,
// none of which needs a change): 10 with jsdom's WebSocket, 11 with ws (the
// test run checks both counts). Each changed test waits for what a real socket
// delivers a round trip later, or expects what real clients do instead:
//   - cleans up connected clients and messages on 'clean', closes the
//     connection: wait for the client's close event;
//   - sends messages to connected clients, seamlessly handles JSON protocols:
//     await server.send();
//   - closes the connection with a custom close code, can refuse connections:
//     an application close code (clients refuse 1234), wasClean true (the
//     client answers the close frame), wait for the close; a refused client is
//     CLOSING or already CLOSED once server.connected resolves;
//   - rejects connections that fail the selectProtocol option: the event's
//     target, and a refused client's protocol stays "";
//   - sends errors to connected clients, passes on close options on server
//     error event: server.error() makes the client fail the connection
//     (conn.fail()), so it fires error, then close with wasClean false, as the
//     original expects; but with 1006 and no reason (no close frame, so no
//     code, reaches it), and its error event is a plain Event (no mock-socket
//     `origin`: its target's URL instead);
//   - resolves the client socket that connected: the server's side is another
//     object than the client;
//   - ws only: handles messages received in a quick succession (ws's
//     send(data, options, callback) signature); no eventPhase on ws's events;
//     an error listener where the original has none (ws throws an error
//     nobody listens to).
//
// Why edits are needed at all (docs/migrating.md): the original's server and
// clients are in-process fakes that deliver synchronously. Real sockets deliver
// after a round trip, real clients validate close codes, and DOM events are not
// mock-socket's objects.
//

/** Which client runs the suite: `ws` (node), jsdom 26 (jest-environment-jsdom 30) or jsdom 20 (jest-environment-jsdom 29). */
export type ClientEnv = 'node' | 'jsdom' | 'jsdom20';

/** One change to the original's text. */
export interface Edit {
  /** The test (its `it` title) the edit is in; undefined for the file's preamble. */
  test?: string;
  /** Exact original text, found exactly once in that test. */
  find: string;
  /** What replaces it (the `// wsmock:` comment is added above it). */
  replace: string;
  /** Why, in one line: becomes the comment. */
  why: string;
  /** Only for this client (default: both). */
  env?: ClientEnv;
}

/** The edits, per original file. */
export const edits: Record<'websocket.test.ts' | 'matchers.test.ts', Edit[]> = {
  'websocket.test.ts': [
    {
      find: 'describe("The WS helper", () => {',
      replace:
        'const nextEvent = (target: any, type: string) =>\n' +
        '  new Promise<any>((resolve) => target.addEventListener(type, resolve, { once: true }));\n\n' +
        'describe("The WS helper", () => {',
      why: "a client's next event of a type, for the waits that real sockets need",
    },
    {
      test: "cleans up connected clients and messages on 'clean'",
      find: '    WS.clean();\n',
      replace: '    const clientsClosed = Promise.all([nextEvent(client1, "close"), nextEvent(client2, "close")]);\n    WS.clean();\n',
      why: 'a real client sees its close a round trip after the server closes: wait for both close events',
    },
    {
      test: "cleans up connected clients and messages on 'clean'",
      find: '    expect(connections).toEqual({ client1: false, client2: false });',
      replace: '    await clientsClosed;\n    expect(connections).toEqual({ client1: false, client2: false });',
      why: 'the clients have seen their close events now',
    },
    {
      test: 'handles messages received in a quick succession',
      find: '    "abcdef".split("").forEach(client.send.bind(client));',
      replace: '    "abcdef".split("").forEach((c) => client.send(c));',
      why: "ws's send(data, options, callback) would take forEach's index and array as its options and callback",
      env: 'node',
    },
    {
      test: 'handles messages received in a quick succession',
      find: '      "xyz".split("").forEach(client.send.bind(client));',
      replace: '      "xyz".split("").forEach((c) => client.send(c));',
      why: "ws's send(data, options, callback) would take forEach's index and array as its options and callback",
      env: 'node',
    },
    {
      test: 'sends messages to connected clients',
      find: '    server.send("hello everyone");',
      replace: '    await server.send("hello everyone");',
      why: 'delivery is asynchronous: server.send() resolves once every client has the message',
    },
    {
      test: 'seamlessly handles JSON protocols',
      find: '    server.send({ type: "CHITCHAT", payload: "Nice weather today" });',
      replace: '    await server.send({ type: "CHITCHAT", payload: "Nice weather today" });',
      why: 'delivery is asynchronous: server.send() resolves once the client has the message',
    },
    {
      test: 'rejects connections that fail the selectProtocol option',
      find: '        currentTarget: expect.objectContaining({ protocol: "foo" }),',
      replace: '        target: expect.objectContaining({ url: "ws://localhost:1234/", protocol: "" }),',
      why: "a dispatched DOM event's currentTarget is null, and a refused client's protocol stays \"\" (none was agreed)",
    },
    {
      test: 'closes the connection',
      find: '    server.send("hello everyone");\n    server.close();\n',
      replace: '    const clientClosed = nextEvent(client, "close");\n    server.send("hello everyone");\n    server.close();\n    await clientClosed;\n',
      why: "a real client's close event comes a round trip after server.close(): wait for it",
    },
    {
      test: 'closes the connection',
      find: '        eventPhase: 0,\n',
      replace: '',
      why: "ws's close events are not DOM events and have no eventPhase",
      env: 'node',
    },
    {
      test: 'closes the connection with a custom close code',
      find: '    server.close({ code: 1234, reason: "boom", wasClean: false });\n',
      replace: '    const clientClosed = nextEvent(client, "close");\n    server.close({ code: 4234, reason: "boom", wasClean: false });\n    await clientClosed;\n',
      why: 'real clients refuse close code 1234 (1000-2999 are reserved by RFC 6455), so an application code; and wait for the close event',
    },
    {
      test: 'closes the connection with a custom close code',
      find: '        code: 1234,\n',
      replace: '        code: 4234,\n',
      why: 'the application close code sent above',
    },
    {
      test: 'closes the connection with a custom close code',
      find: '        wasClean: false,\n',
      replace: '        wasClean: true,\n',
      why: 'a real client answers the close frame it receives, so the close is clean whatever the server asks',
    },
    {
      test: 'closes the connection with a custom close code',
      find: '        eventPhase: 0,\n',
      replace: '',
      why: "ws's close events are not DOM events and have no eventPhase",
      env: 'node',
    },
    {
      test: 'can refuse connections',
      find: '    const client = new WebSocket("ws://localhost:1234");\n',
      replace: '    const client = new WebSocket("ws://localhost:1234");\n    const clientClosed = nextEvent(client, "close");\n',
      why: "the client's close event, awaited below",
    },
    {
      test: 'can refuse connections',
      find: '    expect(client.readyState).toBe(WebSocket.CLOSING);',
      replace: '    expect([WebSocket.CLOSING, WebSocket.CLOSED]).toContain(client.readyState);',
      why: "await server.connected resolves once the server's side of the refused connection has closed; the client is CLOSING only until the TCP close that follows, so it may be CLOSED already",
    },
    {
      test: 'can refuse connections',
      find: '      expect(event.wasClean).toBe(false);',
      replace: '      expect(event.wasClean).toBe(true);',
      why: 'a real client answers the close frame it receives, so the close is clean whatever the server asks',
    },
    {
      test: 'can refuse connections',
      find: '    await server.closed;\n',
      replace: '    await server.closed;\n    await clientClosed;\n',
      why: "the client's TCP close, and its close event, come after the server's",
    },
    {
      test: 'sends errors to connected clients',
      find: '    server.send("hello everyone");\n    server.error();\n',
      replace: '    const clientClosed = nextEvent(client, "close");\n    server.send("hello everyone");\n    server.error();\n    await clientClosed;\n',
      why: "a real client's error and close events come a round trip after server.error(): wait for the close",
    },
    {
      test: 'sends errors to connected clients',
      find: '    expect(error.origin).toBe("ws://localhost:1234/");',
      replace: '    expect(error.target.url).toBe("ws://localhost:1234/");',
      why: "origin is a property of mock-socket's own error event; a real client's error event is a plain Event, whose target is the client and its URL",
    },
    {
      test: 'resolves the client socket that connected',
      find: '    expect(socket).toStrictEqual(client);',
      replace: '    expect(socket).toMatchObject({ url: client.url, protocol: client.protocol, readyState: WebSocket.OPEN });',
      why: "over a real connection the server's side of it is another object than the client: compare what both sides agree on",
    },
    {
      test: 'passes on close options on server error event',
      find: '    server.error({ code: 1234, reason: "boom", wasClean: false });\n',
      replace: '    const clientClosed = nextEvent(client, "close");\n    server.error({ code: 1234, reason: "boom", wasClean: false });\n    await clientClosed;\n',
      why: "a real client's close event comes a round trip after server.error(): wait for it",
    },
    {
      test: 'passes on close options on server error event',
      find: '        code: 1234,\n',
      replace: '        code: 1006,\n',
      why: 'a client that fails its connection (server.error() makes it) closes with 1006: no close frame, so no code, can reach it',
    },
    {
      test: 'passes on close options on server error event',
      find: '        reason: "boom",\n',
      replace: '        reason: "",\n',
      why: 'nor a reason',
    },
    {
      test: 'passes on close options on server error event',
      find: '    client.onclose = closeCallback;\n',
      replace: '    client.onclose = closeCallback;\n    client.onerror = () => {};\n',
      why: "ws's client is an EventEmitter: the error of the failed connection, with no listener, would be thrown (DOM clients only dispatch it)",
      env: 'node',
    },
    {
      test: 'passes on close options on server error event',
      find: '        eventPhase: 0,\n',
      replace: '',
      why: "ws's close events are not DOM events and have no eventPhase",
      env: 'node',
    },
  ],
  'matchers.test.ts': [],
};

/** The original's relative imports, and what a user of wsmock imports instead. */
const IMPORTS: [RegExp, string][] = [
  [/from "\.\.\/(websocket|index)";/g, 'from "wsmock/jest-websocket-mock";'],
  [/import "\.\.\/(matchers|index)";/g, 'import "wsmock/jest-websocket-mock";'],
];

function testBlock(source: string, title: string): [number, number] {
  const marker = `  it(${JSON.stringify(title)},`;
  const start = source.indexOf(marker);
  if (start === -1 || source.indexOf(marker, start + 1) !== -1) {
    throw new Error(`jest-websocket-mock adaptation: the test ${JSON.stringify(title)} is not found exactly once; the original changed, review the edits.`);
  }
  const next = source.indexOf('\n  it(', start + marker.length);
  return [start, next === -1 ? source.length : next];
}

function countOf(haystack: string, needle: string): number {
  let count = 0;
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + needle.length)) count++;
  return count;
}

/**
 * Applies the edits of `file` for `env` to the original `source` and rewrites
 * its imports to `wsmock/jest-websocket-mock`. Throws when a snippet is not
 * found exactly once in its test, or a relative import is left.
 */
export function adapt(file: keyof typeof edits, source: string, env: ClientEnv): string {
  let text = source;
  for (const edit of edits[file]) {
    if (edit.env && edit.env !== env) continue;
    const [start, end] = edit.test === undefined ? [0, text.length] : testBlock(text, edit.test);
    const block = text.slice(start, end);
    const found = countOf(block, edit.find);
    if (found !== 1) {
      throw new Error(
        `jest-websocket-mock adaptation of ${file}${edit.test ? ` / ${JSON.stringify(edit.test)}` : ''}: ` +
          `expected the snippet ${JSON.stringify(edit.find)} once, found it ${found} times. The original changed: review the edits.`,
      );
    }
    const indent = /^[ \t]*/.exec(edit.find)![0];
    const replaced = block.replace(edit.find, `${indent}// wsmock: ${edit.why}\n${edit.replace}`);
    text = text.slice(0, start) + replaced + text.slice(end);
  }
  for (const [pattern, replacement] of IMPORTS) text = text.replace(pattern, replacement);
  const leftover = /(?:from |import )"\.\.?\/[^"]*"/.exec(text);
  if (leftover) throw new Error(`jest-websocket-mock adaptation of ${file}: the import ${leftover[0]} is not rewritten.`);
  return text;
}

/** The titles of the tests that `env`'s edits change, per file. */
export function changedTests(env: ClientEnv): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const [file, list] of Object.entries(edits)) {
    result[file] = [...new Set(list.filter((e) => e.test !== undefined && (!e.env || e.env === env)).map((e) => e.test!))];
  }
  return result;
}

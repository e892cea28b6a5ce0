//
// An invalid contract is a WSMOCK_ERR_INVALID_CONFIG naming the file, the
// JSON path (and line) and what is wrong, thrown by loadAsyncApi, before any
// mock exists: syntax, version, the official schema, $refs that do not
// resolve or are remote, payload schemas that are not JSON Schema.
//
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createMockServer, loadAsyncApi, WsMockError } from '../src/index.js';
import type { ConfigIssue } from '../src/index.js';
import { scratchDir } from './helpers/files.js';
import { root } from './helpers/pack.js';

const bad = (name: string) => join(root, 'test', 'fixtures', 'asyncapi', 'load', 'bad', name);
const shown = (name: string) => join('test', 'fixtures', 'asyncapi', 'load', 'bad', name);

/** The error loadAsyncApi rejects with, checked to be an invalid-config WsMockError. */
async function failure(...args: Parameters<typeof loadAsyncApi>): Promise<WsMockError & { issues: ConfigIssue[] }> {
  const error = await loadAsyncApi(...args).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(WsMockError);
  expect((error as WsMockError).code).toBe('WSMOCK_ERR_INVALID_CONFIG');
  return error as WsMockError & { issues: ConfigIssue[] };
}

const header = 'asyncapi: 3.0.0\ninfo:\n  title: T\n  version: "1"\n';

describe('issue 26: bad input — invalid contracts', () => {
  it('a remote $ref names the URL, the file, the JSON path and the line, and is never fetched', async () => {
    const error = await failure(bad('remote-ref.yaml'));
    expect(error.issues).toEqual([
      {
        path: '$.channels.echo.messages.text.payload.$ref',
        message: expect.stringContaining('$ref "https://example.com/schemas/text.json" is remote: wsmock reads local files only and never fetches a URL'),
        file: shown('remote-ref.yaml'),
        line: 12,
        column: 11,
      },
    ]);
    expect(error.message).toContain(`Invalid AsyncAPI document ${shown('remote-ref.yaml')}`);
    // Any URL scheme, in an object too.
    for (const ref of ['http://example.com/a.yaml#/m', 'file:///etc/m.yaml']) {
      const fromObject = await failure({ asyncapi: '3.0.0', info: { title: 'T', version: '1' }, channels: { a: { address: '/a', messages: { m: { $ref: ref } } } } });
      expect(fromObject.issues).toEqual([{ path: '$.channels.a.messages.m.$ref', message: expect.stringContaining(`$ref "${ref}" is remote`) }]);
    }
  });

  it('a $ref that does not resolve names the ref, the file, the JSON path and the missing part', async () => {
    const error = await failure(bad('unresolved-ref.yaml'));
    expect(error.issues).toEqual([
      {
        path: '$.channels.echo.messages.text.$ref',
        message: '$ref "#/components/messages/txt" does not resolve: $.components.messages has no "txt"',
        file: shown('unresolved-ref.yaml'),
        line: 11,
        column: 9,
      },
    ]);
  });

  it('a $ref to a file that does not exist, or to a part the file has not, names both files', async () => {
    const scratch = scratchDir('wsmock-asyncapi-bad-');
    scratch.file('parts.yaml', 'text:\n  payload: { type: string }\n');
    const missingFile = await failure(scratch.file('a.yaml', `${header}channels:\n  a:\n    address: /a\n    messages:\n      m: { $ref: "./nope.yaml#/text" }\n`));
    expect(missingFile.issues[0]).toMatchObject({ path: '$.channels.a.messages.m.$ref', line: 9 });
    expect(missingFile.issues[0]!.message).toMatch(/^\$ref "\.\/nope\.yaml#\/text" does not resolve: file .*nope\.yaml does not exist$/);
    const missingPart = await failure(scratch.file('b.yaml', `${header}channels:\n  a:\n    address: /a\n    messages:\n      m: { $ref: "./parts.yaml#/txt" }\n`));
    expect(missingPart.issues[0]!.message).toMatch(/^\$ref "\.\/parts\.yaml#\/txt" does not resolve: the document root of .*parts\.yaml has no "txt"$/);
    // A $ref inside the referenced file is named in that file.
    scratch.file('inner.yaml', 'text:\n  payload:\n    $ref: "#/Nothing"\n');
    const inner = await failure(scratch.file('c.yaml', `${header}channels:\n  a:\n    address: /a\n    messages:\n      m: { $ref: "./inner.yaml#/text" }\n`));
    expect(inner.issues[0]).toMatchObject({ path: '$.text.payload.$ref', message: '$ref "#/Nothing" does not resolve: the document root has no "Nothing"', line: 3 });
    expect(inner.issues[0]!.file).toMatch(/inner\.yaml$/);
  });

  it('$refs that only lead to each other are an error, not a loop', async () => {
    const error = await failure({
      asyncapi: '2.6.0',
      info: { title: 'T', version: '1' },
      channels: { '/a': { publish: { message: { $ref: '#/components/messages/a' } } } },
      components: { messages: { a: { $ref: '#/components/messages/b' }, b: { $ref: '#/components/messages/a' } } },
    });
    expect(error.issues[0]!.message).toContain('does not resolve: it leads back to itself through $refs only');
  });

  it('an object document that is a cyclic graph is named where it loops, not a stack overflow', async () => {
    const tree: Record<string, unknown> = { type: 'object', properties: { name: { type: 'string' } } };
    (tree.properties as Record<string, unknown>).kids = { type: 'array', items: tree };
    const error = await failure({ asyncapi: '3.0.0', info: { title: 'T', version: '1' }, channels: { c: { address: '/c', messages: { m: { payload: tree } } } } });
    expect(error.issues).toEqual([
      {
        path: '$.channels.c.messages.m.payload.properties.kids.items',
        message: 'leads back to an object it is inside: a document must be a tree, as JSON is; write a recursive schema with a $ref',
      },
    ]);
  });

  it('a document the official schema refuses names the most specific place and rule', async () => {
    const error = await failure(bad('schema-error.yaml'));
    expect(error.issues).toEqual([{ path: '$.operations.echo.action', message: 'must be one of "send", "receive"', file: shown('schema-error.yaml'), line: 14, column: 5 }]);
    const scratch = scratchDir('wsmock-asyncapi-bad-');
    const unknownField = await failure(scratch.file('a.yaml', `${header}channels:\n  a:\n    address: /a\n    messages:\n      m:\n        payloadd: { type: object }\n`));
    expect(unknownField.issues).toEqual([
      { path: '$.channels.a.messages.m.payloadd', message: 'is not a field of the AsyncAPI specification here (extensions start with "x-")', file: expect.stringMatching(/a\.yaml$/), line: 10, column: 9 },
    ]);
    const missing = await failure({ asyncapi: '2.6.0', info: { title: 'T' }, channels: {} });
    expect(missing.issues).toEqual([{ path: '$.info.version', message: 'is required' }]);
    const badType = await failure({ asyncapi: '2.6.0', info: { title: 'T', version: '1' }, channels: { '/a': { publish: { message: { payload: { type: 'strng' } } } } } });
    expect(badType.issues).toEqual([{ path: "$.channels['/a'].publish.message.payload.type", message: 'must be one of "array", "boolean", "integer", "null", "number", "object", "string"' }]);
  });

  it('an unknown or missing version names the versions supported', async () => {
    const error = await failure(bad('version.yaml'));
    expect(error.issues).toEqual([
      { path: '$.asyncapi', message: 'version "1.2.0" is not supported: use one of 2.0.0, 2.1.0, 2.2.0, 2.3.0, 2.4.0, 2.5.0, 2.6.0, 3.0.0, 3.1.0', file: shown('version.yaml') },
    ]);
    const missing = await failure({ info: { title: 'T', version: '1' } });
    expect(missing.issues[0]!.message).toMatch(/^version missing is not supported: use one of 2\.0\.0, .*3\.0\.0, 3\.1\.0$/);
  });

  it('a syntax error names the file and the line; a file that cannot be read names why', async () => {
    const scratch = scratchDir('wsmock-asyncapi-bad-');
    const yaml = await failure(scratch.file('a.yaml', `${header}channels:\n  a:\n    address: /a\n    messages:\n      m:\n        payload: { type: object\n`));
    expect(yaml.issues[0]).toMatchObject({ path: '$', message: expect.stringMatching(/^YAML syntax error: /), line: 11 });
    const json = await failure(scratch.file('b.json', '{ "asyncapi": "3.0.0", "info": { "title": "T", }'));
    expect(json.issues[0]!.message).toMatch(/^JSON syntax error: /);
    const missing = await failure(join(scratch.dir, 'none.yaml'));
    expect(missing.issues[0]).toMatchObject({ path: '$', message: expect.stringMatching(/^cannot be read: ENOENT/) });
  });

  it('a payload schema in another file that is not JSON Schema is named in that file', async () => {
    const scratch = scratchDir('wsmock-asyncapi-bad-');
    scratch.file('schemas.yaml', 'Reading:\n  type: object\n  properties:\n    x: { type: strng }\n');
    const error = await failure(scratch.file('a.yaml', `${header}channels:\n  a:\n    address: /a\n    messages:\n      m:\n        payload: { $ref: "./schemas.yaml#/Reading" }\n`));
    expect(error.issues).toEqual([
      {
        path: '$.Reading.properties.x.type',
        message: 'payload schema of message "a.m" is not a valid JSON Schema: must be equal to one of the allowed values',
        file: expect.stringMatching(/schemas\.yaml$/),
        line: 4,
        column: 10,
      },
    ]);
  });

  it('YAML aliases that expand without bound (a "billion laughs" file) are refused naming the file, not thrown as a ReferenceError', async () => {
    // Each level repeats the one before nine times: 9^8 strings once expanded.
    const levels = ['a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]'];
    for (const name of 'bcdefgh') {
      const before = String.fromCharCode(name.charCodeAt(0) - 1);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${before}`).join(', ')}]`);
    }
    const { file } = scratchDir('wsmock-aliases-');
    const path = file('laughs.yaml', `${header}channels: {}\nx-laughs:\n${levels.map((line) => `  ${line}`).join('\n')}\n`);
    const server = await createMockServer();
    try {
      const error = await server.asyncapi(path).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(error).toBeInstanceOf(WsMockError);
      expect((error as WsMockError).code).toBe('WSMOCK_ERR_INVALID_CONFIG');
      expect((error as WsMockError & { issues: ConfigIssue[] }).issues).toEqual([
        {
          path: '$',
          message: 'YAML aliases expand too far: Excessive alias count indicates a resource exhaustion attack (more than 1000 alias expansions); write the repeated part once and $ref it',
          file: path,
        },
      ]);
      expect(server.mocks.list()).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('refuses what is not a file name or a document, and bad options, with the argument named', async () => {
    await expect(loadAsyncApi(42 as unknown as string)).rejects.toMatchObject({ code: 'WSMOCK_ERR_INVALID_ARGUMENT', message: 'loadAsyncApi() takes a file name or a document object, got 42' });
    await expect(loadAsyncApi([] as unknown as object)).rejects.toMatchObject({ code: 'WSMOCK_ERR_INVALID_ARGUMENT', message: expect.stringContaining('got an array') });
    await expect(loadAsyncApi({}, { server: 1 as unknown as string })).rejects.toMatchObject({ code: 'WSMOCK_ERR_INVALID_ARGUMENT', message: expect.stringContaining('options.server') });
  });
});

describe('bad input — server.asyncapi() options and sendMessage()', () => {
  const RPC = join(root, 'test', 'fixtures', 'asyncapi', 'serve-rpc.yaml');

  it('a fixed reply JSON cannot write (a bigint, a symbol, a cycle) is refused naming the operation and the spot, not a stack overflow', async () => {
    const server = await createMockServer();
    try {
      const cycle: Record<string, unknown> = { event: 'pong' };
      cycle.self = { back: cycle };
      await expect(server.asyncapi(RPC, { replies: { ping: cycle } })).rejects.toMatchObject({
        code: 'WSMOCK_ERR_INVALID_ARGUMENT',
        message: 'server.asyncapi(): options.replies["ping"] must be a JSON value or a function: $.self.back refers back to an object that contains it (a cycle)',
      });
      await expect(server.asyncapi(RPC, { replies: { ping: { event: 'pong', reqid: 1n } } })).rejects.toMatchObject({
        message: 'server.asyncapi(): options.replies["ping"] must be a JSON value or a function: $.reqid is a bigint, which JSON cannot write',
      });
      await expect(server.asyncapi(RPC, { replies: { ping: Symbol('pong') as never } })).rejects.toMatchObject({ message: expect.stringContaining('$ is a symbol') });
      expect(server.mocks.list()).toEqual([]);
      // The same cycle in a hand-written mock's config names the field instead of overflowing where the config is copied.
      expect(() => server.websocket({ path: '/rpc', contract: { file: RPC, channel: 'rpc', replies: { ping: cycle } } })).toThrow(
        expect.objectContaining({ code: 'WSMOCK_ERR_INVALID_CONFIG', message: expect.stringContaining('contract.replies.ping.self.back: refers back to an object that contains it (a cycle): a config must be a tree') }),
      );
      expect(() => server.websocket({ path: '/rpc', contract: { file: RPC, channel: 'rpc', replies: { ping: { reqid: 1n } } } })).toThrow(
        expect.objectContaining({ code: 'WSMOCK_ERR_INVALID_CONFIG', message: expect.stringContaining('contract.replies.ping: must be a JSON value or a function: $.reqid is a bigint, which JSON cannot write') }),
      );
      const value: Record<string, unknown> = {};
      value.again = [value];
      expect(() => server.websocket({ path: '/x', matchers: [{ match: { type: 'any' }, response: { type: 'json', value } }] } as never)).toThrow(/matchers\[0\]\.response\.value\.again\[0\]: refers back/);
    } finally {
      await server.close();
    }
  });

  it('sendMessage() options that are null, misspelt or not a connection are refused before anything is sent; overrides JSON cannot write too', async () => {
    const server = await createMockServer();
    try {
      const api = await server.asyncapi(RPC);
      const client = new WebSocket(api.mock('rpc').url);
      const received: string[] = [];
      client.on('message', (data) => received.push(String(data)));
      await new Promise((resolve) => client.once('open', resolve));
      const conn = await api.mock('rpc').waitForConnection();
      expect(() => api.sendMessage('heartbeat', undefined, null as never)).toThrow(
        expect.objectContaining({ code: 'WSMOCK_ERR_INVALID_ARGUMENT', message: 'sendMessage("heartbeat"): options must be an object ({ connection }), got null' }),
      );
      expect(() => api.sendMessage('heartbeat', undefined, { conection: conn } as never)).toThrow('sendMessage("heartbeat"): options.conection is not an option (options: connection)');
      expect(() => api.sendMessage('heartbeat', undefined, { connection: 'c1' as never })).toThrow(
        'sendMessage("heartbeat"): options.connection must be a connection of these mocks (from mock.waitForConnection()), got string',
      );
      const cycle: Record<string, unknown> = {};
      cycle.self = cycle;
      expect(() => api.sendMessage('heartbeat', { at: 1n })).toThrow('sendMessage("heartbeat"): overrides must be JSON, so nothing was sent: $.at is a bigint, which JSON cannot write');
      expect(() => api.sendMessage('heartbeat', cycle, { connection: conn })).toThrow('$.self refers back to an object that contains it (a cycle)');
      expect(() => api.mocks[0]!.sendMessage('heartbeat', cycle)).toThrow('$.self refers back');
      // Nothing of the above reached the client: the next frame it gets is the one sent now.
      const next = new Promise((resolve) => client.once('message', resolve));
      expect(api.sendMessage('heartbeat', undefined, { connection: conn })).toBe(1);
      await next;
      expect(received).toHaveLength(1);
      client.close();
    } finally {
      await server.close();
    }
  });
});

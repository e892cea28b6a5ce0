//
// The error catalogue: every builder gives its code and a message naming the
// values it was handed; no file outside the catalogue builds a WsMockError by
// hand; and a public function (recordingToConfig) refuses bad input with a
// WsMockError, never a plain RangeError.
//
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as catalogue from '../src/errors/catalogue.js';
import { WsMockError, WsMockErrorCode, recordingToConfig } from '../src/index.js';
import { connect } from './helpers/client.js';
import { useMockServer } from './helpers/server.js';

const server = useMockServer();
const cause = new Error('the cause');

/** For each builder: the arguments it takes, the code it must give, the texts its message must name. */
const cases: Record<keyof typeof catalogue, { args: unknown[]; code: WsMockErrorCode; names: string[] }> = {
  invalidConfig: { args: ['mock config', [{ path: 'path', message: 'must start with "/"' }]], code: 'WSMOCK_ERR_INVALID_CONFIG', names: ['mock config', 'path', 'must start with "/"'] },
  invalidArgument: { args: ['count must be a number, got "x"'], code: 'WSMOCK_ERR_INVALID_ARGUMENT', names: ['count must be a number, got "x"'] },
  invalidCloseCode: { args: [1005], code: 'WSMOCK_ERR_INVALID_ARGUMENT', names: ['close code 1005', '3000-4999'] },
  invalidCloseReason: { args: [], code: 'WSMOCK_ERR_INVALID_ARGUMENT', names: ['close reason', '123 bytes'] },
  serverNotListening: { args: [], code: 'WSMOCK_ERR_SERVER_CLOSED', names: ['await createMockServer()'] },
  serverNotRunning: { args: ['define a mock', 'closed'], code: 'WSMOCK_ERR_SERVER_CLOSED', names: ['Cannot define a mock', 'the server is closed'] },
  serverClosedDuringWait: { args: ['chat'], code: 'WSMOCK_ERR_SERVER_CLOSED', names: ['mock "chat"'] },
  listenFailed: { args: ['listen', '127.0.0.1', 4321, 'port 4321 is already in use', cause], code: 'WSMOCK_ERR_LISTEN_FAILED', names: ['Cannot listen on 127.0.0.1:4321', 'already in use'] },
  adminAlreadyListening: { args: ['http://127.0.0.1:9999'], code: 'WSMOCK_ERR_INVALID_ARGUMENT', names: ['running at http://127.0.0.1:9999'] },
  invalidVerifyResult: { args: ['"yes"'], code: 'WSMOCK_ERR_INVALID_ARGUMENT', names: ['handshake.verify', 'got "yes"'] },
  duplicateMockId: { args: ['chat'], code: 'WSMOCK_ERR_DUPLICATE_ID', names: ['"chat" already exists'] },
  mockNotFound: { args: ['chta', ['chat', 'feed']], code: 'WSMOCK_ERR_MOCK_NOT_FOUND', names: ['"chta"', 'Known ids: chat, feed'] },
  mockRemoved: { args: ['chat'], code: 'WSMOCK_ERR_MOCK_NOT_FOUND', names: ['Mock "chat" has been removed'] },
  mockRemovedDuringWait: { args: ['chat'], code: 'WSMOCK_ERR_MOCK_NOT_FOUND', names: ['Mock "chat" was removed'] },
  pathConflict: { args: ['chat', '/chat', '/chat'], code: 'WSMOCK_ERR_PATH_CONFLICT', names: ['Mock "chat" already serves /chat'] },
  connectionNotFound: { args: ['c-9'], code: 'WSMOCK_ERR_CONNECTION_NOT_FOUND', names: ['"c-9"'] },
  connectionClosed: {
    args: ['send', 'connection c-1', 'is closed', { close: { code: 4000, reason: 'bye' }, cause }],
    code: 'WSMOCK_ERR_CONNECTION_CLOSED',
    names: ['Cannot send: connection c-1 is closed (code 4000 "bye").'],
  },
  failUnsupported: { args: ['c-2', 'a Server-Sent Events stream'], code: 'WSMOCK_ERR_UNSUPPORTED', names: ['connection c-2', 'a Server-Sent Events stream'] },
  waitTimedOut: { args: [250, 'a message', 'Seen: nothing.'], code: 'WSMOCK_ERR_TIMEOUT', names: ['250 ms waiting for a message. Seen: nothing.'] },
  pongTimedOut: { args: [300, 'connection c-3'], code: 'WSMOCK_ERR_TIMEOUT', names: ['No pong within 300 ms for a ping on connection c-3'] },
  closedBeforePong: { args: ['c-4', cause], code: 'WSMOCK_ERR_CONNECTION_CLOSED', names: ['c-4 closed before its client answered a ping. the cause'] },
  noRecording: { args: ['chat', 'there is no mock "chat"', ['feed']], code: 'WSMOCK_ERR_MOCK_NOT_FOUND', names: ['"chat"', 'there is no mock "chat"', 'Recording mocks: feed'] },
  noRecordings: { args: [], code: 'WSMOCK_ERR_MOCK_NOT_FOUND', names: ['keeps no recordings'] },
  routeArgument: { args: ['options.to', 'is "/nope", a path no mock of the server serves'], code: 'WSMOCK_ERR_INVALID_ARGUMENT', names: ['wsmock route: options.to is "/nope"'] },
  recordedConnectionMissing: { args: [2, 1], code: 'WSMOCK_ERR_INVALID_ARGUMENT', names: ['connection 2 is not in the recording: it has 1'] },
  compatListenFailed: { args: ['ws://localhost:1234', 'port 1234 is already in use', cause], code: 'WSMOCK_ERR_LISTEN_FAILED', names: ['Cannot listen for ws://localhost:1234: port 1234 is already in use.'] },
  unsupportedAsyncApiVersion: { args: ['AsyncAPI document api.yaml', 'api.yaml', '1.2.0', ['2.6.0', '3.0.0']], code: 'WSMOCK_ERR_INVALID_CONFIG', names: ['api.yaml', '$.asyncapi', 'version "1.2.0" is not supported: use one of 2.6.0, 3.0.0'] },
  remoteAsyncApiRef: { args: ['AsyncAPI document api.yaml', { path: '$.components.messages.ping.$ref', message: '', file: 'api.yaml' }, 'https://example.com/ping.yaml'], code: 'WSMOCK_ERR_INVALID_CONFIG', names: ['api.yaml', '$.components.messages.ping.$ref', '"https://example.com/ping.yaml" is remote'] },
  unresolvedAsyncApiRef: { args: ['AsyncAPI document api.yaml', { path: '$.channels.a.$ref', message: '', file: 'api.yaml' }, '#/nowhere', 'the document root has no "nowhere"'], code: 'WSMOCK_ERR_INVALID_CONFIG', names: ['$.channels.a.$ref', '"#/nowhere" does not resolve: the document root has no "nowhere"'] },
  asyncApiServerNotFound: { args: ['AsyncAPI document api.yaml', 'prod', 'is not in the document: its servers are dev'], code: 'WSMOCK_ERR_INVALID_CONFIG', names: ['server "prod" is not in the document: its servers are dev'] },
  cannotGenerateMessage: { args: ['ping', '$.reqid', 'allows no value (not: {})'], code: 'WSMOCK_ERR_INVALID_CONFIG', names: ['message "ping"', '$.reqid', 'allows no value (not: {})'] },
  remoteUnreachable: { args: ['connect', 'http://127.0.0.1:4290', 'ECONNREFUSED', cause], code: 'WSMOCK_ERR_CONNECTION_CLOSED', names: ['Cannot connect', 'http://127.0.0.1:4290 cannot be reached (ECONNREFUSED)'] },
  remoteHandleClosed: { args: ['send on conn-1', 'http://127.0.0.1:4290'], code: 'WSMOCK_ERR_CONNECTION_CLOSED', names: ['Cannot send on conn-1', 'remote handle of http://127.0.0.1:4290 was closed'] },
  remoteUnauthorized: { args: ['http://127.0.0.1:4290'], code: 'WSMOCK_ERR_INVALID_ARGUMENT', names: ['http://127.0.0.1:4290 refused the token (401 unauthorized)', 'connectMockServer(url, { token })'] },
  remoteNotWsmock: { args: ['http://127.0.0.1:8080', 'it has no GET /version', '1.2.3'], code: 'WSMOCK_ERR_UNSUPPORTED', names: ['http://127.0.0.1:8080', 'it has no GET /version', 'wsmock 1.2.3'] },
  remoteVersionMismatch: {
    args: ['http://127.0.0.1:4290', { version: '9.0.0', protocol: '2' }, { version: '1.2.3', protocol: 1 }],
    code: 'WSMOCK_ERR_UNSUPPORTED',
    names: ['wsmock 9.0.0 (remote protocol 2)', 'this client is wsmock 1.2.3 (remote protocol 1)'],
  },
  remoteRefused: { args: ['WSMOCK_ERR_MOCK_NOT_FOUND', 'remove mock "chat"', 'http://127.0.0.1:4290', 'No mock with id "chat".'], code: 'WSMOCK_ERR_MOCK_NOT_FOUND', names: ['Cannot remove mock "chat" (http://127.0.0.1:4290): No mock with id "chat".'] },
};

/** Every .ts file under `dir`, recursively. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

describe('issue 23: one error catalogue', () => {
  it.each(Object.keys(catalogue).filter((name) => typeof catalogue[name as keyof typeof catalogue] === 'function'))(
    '%s gives its code and a message naming its values',
    (name) => {
      const spec = cases[name as keyof typeof cases];
      expect(spec, `${name} has no case in this test: add one`).toBeDefined();
      const build = catalogue[name as keyof typeof catalogue] as (...args: unknown[]) => WsMockError;
      const error = build(...spec.args);
      expect(error).toBeInstanceOf(WsMockError);
      expect(error.code).toBe(spec.code);
      for (const text of spec.names) expect(error.message).toContain(text);
      if (spec.args.includes(cause) || (spec.args.at(-1) as { cause?: unknown })?.cause === cause) expect(error.cause).toBe(cause);
    },
  );

  it('invalidConfig keeps every issue on the error, with its field path', () => {
    const issues = [
      { path: 'path', message: 'must start with "/"' },
      { path: 'matchers[0].match.type', message: 'must be one of exact, regex, json' },
    ];
    const error = catalogue.invalidConfig('mock config', issues);
    expect(error.issues).toEqual(issues);
    expect(error.message).toBe('Invalid mock config: 2 problems\n  - path: must start with "/"\n  - matchers[0].match.type: must be one of exact, regex, json');
  });

  it('connectionClosed leaves out the close when it is not known, and an empty reason', () => {
    expect(catalogue.connectionClosed('send', 'stream s-1', 'is closed').message).toBe('Cannot send: stream s-1 is closed.');
    expect(catalogue.connectionClosed('send', 'connection c-1', 'is closing', { close: { code: 1000, reason: '' } }).message).toBe(
      'Cannot send: connection c-1 is closing (code 1000).',
    );
  });

  it('no file outside src/errors/catalogue.ts builds a WsMockError by hand, and none throws a plain RangeError', () => {
    const root = join(import.meta.dirname, '..');
    const hand: string[] = [];
    const ranges: string[] = [];
    for (const file of sources(join(root, 'src'))) {
      const text = readFileSync(file, 'utf8');
      const name = relative(root, file).split('\\').join('/');
      if (name !== 'src/errors/catalogue.ts' && text.includes('new WsMockError(')) hand.push(name);
      if (text.includes('new RangeError(')) ranges.push(name);
    }
    expect(hand, 'build these errors with a builder of src/errors/catalogue.ts').toEqual([]);
    expect(ranges, 'throw a WsMockError from the catalogue instead').toEqual([]);
  });
});

describe('issue 23: recordingToConfig refuses a connection the recording lacks with a WsMockError', () => {
  it('asks for a connection past the last one: WSMOCK_ERR_INVALID_ARGUMENT naming the index and the count', async () => {
    const mock = server.websocket({ path: '/recorded', record: true });
    const client = await connect(`${server.url}/recorded`);
    const conn = await mock.waitForConnection();
    await client.close();
    await conn.waitForClose();
    const recording = server.recording(mock.id);
    expect(recording.connections).toHaveLength(1);

    let thrown: unknown;
    try {
      recordingToConfig(recording, { connection: 3 });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(WsMockError);
    expect(thrown).not.toBeInstanceOf(RangeError);
    expect((thrown as WsMockError).code).toBe(WsMockErrorCode.INVALID_ARGUMENT);
    expect((thrown as WsMockError).message).toBe('connection 3 is not in the recording: it has 1');
    // The connection it has still converts.
    expect(recordingToConfig(recording, { connection: 0 })).toContain('/recorded');
  });
});

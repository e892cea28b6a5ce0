//
// Fuzzing mock configs through validation: whatever `server.websocket()` is
// given, it either defines a working mock or throws a WsMockError
// (WSMOCK_ERR_INVALID_CONFIG with issues, or a path conflict) — never another
// exception, never a polluted prototype.
//
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockServer, WsMockError, type MockServer } from '../../src/index.js';
import { suiteSeed } from './helpers/random.js';

const RUNS = 2_000;

const junk = fc.oneof(fc.anything({ maxDepth: 2 }), fc.constantFrom(NaN, Infinity, -1, 0, 1.5, '', '5s', '-5s', '1h', 'abc', '0ms', null, [], {}, true));
const duration = fc.oneof(fc.integer({ min: -5, max: 100_000 }), fc.constantFrom('10ms', '5s', '5m', '1h', '1d', 'soon', '', '-1s', '1e3ms'), junk);
const path = fc.oneof(fc.constantFrom('/a', '/a/:b', '/:x/:y', '/a/:b/c', '/', 'a', '', '//', '/a/:', '/a/:b/:b', '/%zz', '/a?b', '/a#b', '/é'), fc.string({ maxLength: 12 }).map((s) => `/${s}`), junk);
const jsonPath = fc.oneof(fc.constantFrom('$', '$.a', '$.a.b', "$['a b']", '$..n', '$.items[?(@.n > 1)]', '$[', '$.', '$..[?(@.constructor)]', '$[?(@.a.__proto__)]', '$[(@.length-1)]', '$.a[?(process.exit())]', 'a.b', '$[?(@.a ==', "$['unterminated]"), fc.string({ maxLength: 15 }).map((s) => `$${s}`), junk);
const template = fc.oneof(fc.constantFrom('{{message}}', '{{message.a}}', '{{#a}}x{{/a}}', '{{#a}}', '{{/a}}', '{{', '}}', '{{>partial}}', '{{=<% %>=}}', '{{{message}}}', '{{&message}}', '{{uuid}} {{now}} {{sequence}}'), fc.string({ maxLength: 20 }));
const response = fc.record(
  {
    type: fc.oneof(fc.constantFrom('text', 'json', 'binary'), junk),
    value: fc.oneof(template, fc.jsonValue({ maxDepth: 2 }), fc.constantFrom('aGVsbG8=', '%%%'), junk),
    delay: duration,
  },
  { requiredKeys: [] },
);
const matchSpec = fc.record(
  {
    type: fc.oneof(fc.constantFrom('exact', 'contains', 'prefix', 'suffix', 'regex', 'json'), junk),
    value: fc.oneof(fc.constantFrom('(', '[a-', '^(a+)+$', '\\', '.*', '(?<n>x)\\k<n>', '(?<=a)b'), fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }), junk),
    path: jsonPath,
    messageType: fc.oneof(fc.constantFrom('text', 'binary'), junk),
  },
  { requiredKeys: [] },
);
const matcher = fc.record(
  { match: fc.oneof(matchSpec, junk), response: fc.oneof(response, junk), responses: fc.oneof(fc.array(response, { maxLength: 3 }), junk), noResponse: fc.oneof(fc.boolean(), junk), times: fc.oneof(fc.integer({ min: -2, max: 5 }), junk) },
  { requiredKeys: [] },
);
const step = fc.record(
  {
    type: fc.oneof(fc.constantFrom('send', 'wait', 'expect', 'delay', 'close'), junk),
    message: fc.oneof(response, junk),
    match: fc.oneof(matchSpec, junk),
    timeout: duration,
    optional: fc.oneof(fc.boolean(), junk),
    duration,
    code: fc.oneof(fc.constantFrom(1000, 1005, 1006, 4000, 5000, 999), junk),
    reason: fc.oneof(fc.string({ maxLength: 130 }), junk),
  },
  { requiredKeys: [] },
);
const config = fc.record(
  {
    id: fc.oneof(fc.constantFrom('a', 'b', '', ' ', '__proto__', 'constructor'), junk),
    name: fc.oneof(fc.string({ maxLength: 8 }), junk),
    enabled: fc.oneof(fc.boolean(), junk),
    path,
    subprotocols: fc.oneof(fc.array(fc.constantFrom('chat', 'graphql-ws', '', 'a b', 'x,y'), { maxLength: 3 }), junk),
    requireSubprotocol: fc.oneof(fc.boolean(), junk),
    maxMessageSize: fc.oneof(fc.integer({ min: -1, max: 1 << 30 }), junk),
    maxConnections: fc.oneof(fc.integer({ min: -1, max: 10 }), junk),
    idleTimeout: duration,
    heartbeat: fc.oneof(fc.record({ enabled: fc.oneof(fc.boolean(), junk), interval: duration, timeout: duration }, { requiredKeys: [] }), junk),
    echoMode: fc.oneof(fc.boolean(), junk),
    matchers: fc.oneof(fc.array(matcher, { maxLength: 4 }), junk),
    defaultResponse: fc.oneof(response, junk),
    scenario: fc.oneof(fc.record({ name: fc.oneof(fc.string({ maxLength: 5 }), junk), steps: fc.oneof(fc.array(step, { maxLength: 4 }), junk), loop: fc.oneof(fc.boolean(), junk), resetOnReconnect: fc.oneof(fc.boolean(), junk) }, { requiredKeys: [] }), junk),
    handshake: fc.oneof(fc.record({ status: fc.oneof(fc.integer({ min: 0, max: 700 }), junk), headers: fc.oneof(fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(fc.string({ maxLength: 6 }), fc.constant('a\r\nb'))), junk), body: junk, delay: duration }, { requiredKeys: [] }), junk),
    extra: junk,
  },
  { requiredKeys: [] },
);
// Mostly valid configs, so the property also runs on the mocks that validation accepts.
const plausible = fc.record(
  {
    path: fc.constantFrom('/a', '/a/:b', '/x/y'),
    echoMode: fc.boolean(),
    idleTimeout: fc.constantFrom(1_000, '5s', '1h'),
    matchers: fc.array(
      fc.record({
        match: fc.record({ type: fc.constantFrom('exact', 'prefix', 'contains', 'regex'), value: fc.string({ maxLength: 5 }) }),
        response: fc.record({ type: fc.constant('text'), value: template }),
      }),
      { maxLength: 3 },
    ),
    defaultResponse: fc.record({ type: fc.constant('json'), value: fc.dictionary(fc.string({ maxLength: 4 }), template, { maxKeys: 3 }) }),
  },
  { requiredKeys: ['path'] },
);
// Configs as an admin body or a config file would arrive: through JSON.parse, so "__proto__" can be an own key.
const viaJson = fc.oneof(
  config.map((c) => JSON.parse(JSON.stringify(c) ?? 'null') as unknown),
  fc.constantFrom('{"path":"/p","__proto__":{"polluted":1}}', '{"path":"/p","matchers":[{"match":{"type":"exact","value":"x"},"__proto__":{"polluted":1}}]}', '{"path":"/p","constructor":{"prototype":{"polluted":1}}}').map((t) => JSON.parse(t) as unknown),
);

describe('fuzz: random mock configs through validation', () => {
  let server: MockServer;

  beforeAll(async () => {
    server = await createMockServer();
  });

  afterAll(() => server?.close());

  it(`always a WsMockError or a valid mock, never another exception (${RUNS} runs)`, async () => {
    const seed = suiteSeed(0xc0_f16);
    let valid = 0;
    await fc.assert(
      fc
        .asyncProperty(fc.oneof(config, viaJson, plausible, junk), async (input) => {
          let mock;
          try {
            mock = server.websocket(input as never);
          } catch (err) {
            expect(err, `not a WsMockError: ${String(err)}`).toBeInstanceOf(WsMockError);
            const error = err as WsMockError;
            expect(['WSMOCK_ERR_INVALID_CONFIG', 'WSMOCK_ERR_PATH_CONFLICT', 'WSMOCK_ERR_DUPLICATE_ID']).toContain(error.code);
            if (error.code === 'WSMOCK_ERR_INVALID_CONFIG') expect(error.issues?.length).toBeGreaterThan(0);
            return;
          }
          valid++;
          // A valid mock serialises to its envelope and takes an update of itself.
          const envelope = JSON.parse(JSON.stringify(mock));
          expect(envelope).toMatchObject({ id: mock.id, type: 'websocket' });
          await mock.update({});
        })
        .afterEach(async () => {
          expect(({} as Record<string, unknown>).polluted).toBeUndefined();
          expect(Object.prototype).not.toHaveProperty('polluted');
          await server.mocks.clear();
        }),
      { seed, numRuns: RUNS, endOnFailure: true },
    );
    // The generator reaches valid configs too, not only refusals.
    expect(valid).toBeGreaterThan(10);
  });
});

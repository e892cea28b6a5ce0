import { describe, expect, it } from 'vitest';
import { validateEnvelope, WsMockError, type WebSocketMockConfig } from '../src/index.js';
import { useMockServer } from './helpers/server.js';

const server = useMockServer();

/** The issues `server.websocket(config)` throws, or fails the test when it does not throw. */
function issuesOf(config: WebSocketMockConfig): { path: string; message: string }[] {
  try {
    server.websocket(config);
  } catch (err) {
    expect(err).toBeInstanceOf(WsMockError);
    expect((err as WsMockError).code).toBe('WSMOCK_ERR_INVALID_CONFIG');
    return (err as WsMockError & { issues: { path: string; message: string }[] }).issues;
  }
  throw new Error('expected a config error');
}

describe('matcher config errors', () => {
  it('a regex that does not compile names the matcher index', () => {
    const issues = issuesOf({
      path: '/v',
      matchers: [
        { match: { type: 'exact', value: 'ok' }, noResponse: true },
        { match: { type: 'regex', value: 'user_(\\d+' }, noResponse: true },
      ],
    });
    expect(issues).toEqual([{ path: 'matchers[1].match.value', message: expect.stringContaining('is not a valid regular expression') }]);
  });

  it.each([
    ['$.items[?(@.price <)]', 'does not parse'],
    ['$.items[?(@.price < 10]', 'unbalanced'],
    ['$.a[0', 'unclosed'],
    ["$['a", 'unterminated string'],
    ['$.a]', 'unexpected "]"'],
    ['type', 'starting with "$"'],
    ['$.', 'property name'],
    ['$[]', 'empty'],
  ])('a JSONPath that does not parse (%s) is reported at matchers[i].match.path', (path, why) => {
    const issues = issuesOf({
      path: '/v',
      matchers: [
        { match: { type: 'json', path: '$.ok' }, noResponse: true },
        { match: { type: 'json', path }, noResponse: true },
      ],
    });
    expect(issues).toEqual([{ path: 'matchers[1].match.path', message: expect.stringContaining(why) }]);
  });

  it('a bad JSONPath in a scenario wait is reported at its step', () => {
    const issues = issuesOf({
      path: '/v',
      scenario: { steps: [{ type: 'send', message: { type: 'text', value: 'x' } }, { type: 'wait', match: { type: 'json', path: '$[?(@.a ==)]' } }] },
    });
    expect(issues).toEqual([{ path: 'scenario.steps[1].match.path', message: expect.stringContaining('not a valid JSONPath') }]);
  });

  it('valid JSONPaths of every kind are accepted', () => {
    for (const path of ['$', '$.a.b', '$..a', '$.*', '$.a[*]', '$.a[0]', '$.a[-1:]', "$['a b']", '$.a[?(@.b == "x]")]', '$..[?(@.id)]', '$.a[(@.length-1)]']) {
      expect(() => server.websocket({ path: `/ok${Math.random().toString(36).slice(2)}`, matchers: [{ match: { type: 'json', path }, noResponse: true }] })).not.toThrow();
    }
  });

  it('the envelope validation (config files, admin API) reports the same problems', () => {
    expect(() =>
      validateEnvelope({ type: 'websocket', websocket: { path: '/v', matchers: [{ match: { type: 'json', path: '$.a[' }, noResponse: true }] } }),
    ).toThrow(expect.objectContaining({ issues: [expect.objectContaining({ path: 'websocket.matchers[0].match.path' })] }));
  });
});

describe('scenario config errors', () => {
  it('a loop in which no step takes time is refused', () => {
    const issues = issuesOf({
      path: '/v',
      scenario: { loop: true, steps: [{ type: 'send', message: { type: 'text', value: 'flood' } }, { type: 'delay', duration: 0 }] },
    });
    expect(issues).toEqual([{ path: 'scenario.loop', message: expect.stringContaining('needs a step that takes time') }]);
  });

  it('a loop with a wait, a delay, a delayed send or a close is accepted', () => {
    const send = { type: 'send' as const, message: { type: 'text' as const, value: 'x' } };
    const loops: WebSocketMockConfig['scenario'][] = [
      { loop: true, steps: [send, { type: 'wait', match: { type: 'exact', value: 'go' } }] },
      { loop: true, steps: [send, { type: 'delay', duration: '1s' }] },
      { loop: true, steps: [send, { type: 'wait', duration: 5 }] },
      { loop: true, steps: [{ type: 'send', message: { type: 'text', value: 'x', delay: '10ms' } }] },
      { loop: true, steps: [send, { type: 'close' }] },
    ];
    loops.forEach((scenario, i) => expect(() => server.websocket({ path: `/loop${i}`, scenario })).not.toThrow());
  });
});

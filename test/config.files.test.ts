import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configJsonSchema, loadConfigFiles, parseConfig, WsMockError } from '../src/index.js';
import { loadChaosFile } from '../src/config/load.js';
import { scratchDir } from './helpers/files.js';

const { dir, file } = scratchDir('wsmock-config-');
async function problems(files: string[]) {
  const error = (await loadConfigFiles(files).catch((e) => e)) as WsMockError;
  expect(error).toBeInstanceOf(WsMockError);
  expect(error.code).toBe('WSMOCK_ERR_INVALID_CONFIG');
  return error;
}

describe('config files', () => {
  it('loads YAML and JSON, giving id-less mocks an id from their path', async () => {
    const yaml = file('a.yaml', 'version: "1.0"\nserver: { port: 0 }\nmocks:\n  - type: websocket\n    websocket: { path: /ws/chat, echoMode: true }\n');
    const json = file('b.json', JSON.stringify({ version: '1.0', mocks: [{ id: 'feed', type: 'websocket', websocket: { path: '/feed' } }] }));
    const loaded = await loadConfigFiles([yaml, json]);
    expect(loaded.mocks.map((m) => m.id)).toEqual(['ws-chat', 'feed']);
    expect(loaded.server).toEqual({ port: 0 });
    expect(Object.values(loaded.sources)).toHaveLength(2);
  });

  it('names the file, line, column and field of every problem', async () => {
    const bad = file(
      'bad.yaml',
      ['version: "1.0"', 'mocks:', '  - id: chat', '    type: websocket', '    websocket:', '      path: ws/chat', '      colour: red', ''].join('\n'),
    );
    const error = await problems([bad]);
    expect(error.issues).toEqual([
      { path: 'mocks[0].websocket.path', message: 'must start with "/"', file: expect.stringMatching(/bad\.yaml$/), line: 6, column: 7 },
      { path: 'mocks[0].websocket.colour', message: 'is not a known field', file: expect.stringMatching(/bad\.yaml$/), line: 7, column: 7 },
    ]);
    expect(error.message).toMatch(/bad\.yaml:6:7 mocks\[0\]\.websocket\.path: must start with "\/"/);
  });

  it('reports YAML syntax errors with their position', () => {
    const error = (() => {
      try {
        parseConfig('version: "1.0"\nmocks: [\n  - a\n', 'broken.yaml');
      } catch (e) {
        return e as WsMockError;
      }
    })();
    expect(error?.issues?.[0]).toMatchObject({ file: 'broken.yaml', line: expect.any(Number), message: expect.stringMatching(/^YAML syntax error: /) });
  });

  it('refuses YAML aliases that expand without bound (a "billion laughs" file) naming the file, in a config file and a chaos file', async () => {
    const levels = ['a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]'];
    for (const name of 'bcdefgh') levels.push(`${name}: &${name} [${Array(9).fill(`*${String.fromCharCode(name.charCodeAt(0) - 1)}`).join(', ')}]`);
    const text = `x-laughs:\n${levels.map((line) => `  ${line}`).join('\n')}\n`;
    const message = 'YAML aliases expand too far: Excessive alias count indicates a resource exhaustion attack (more than 100 alias expansions); write the repeated part out or split the file';
    const config = file('laughs.yaml', text);
    expect((await problems([config])).issues).toEqual([{ path: '', message, file: expect.stringMatching(/\/laughs\.yaml$/) }]);
    const chaos = file('laughs-chaos.yaml', text);
    const error = (await loadChaosFile(chaos).catch((e: unknown) => e)) as WsMockError;
    expect(error).toBeInstanceOf(WsMockError);
    expect(error.issues).toEqual([{ path: '', message, file: expect.stringMatching(/\/laughs-chaos\.yaml$/) }]);
  });

  it('refuses a wrong version and a mock id defined in two files', async () => {
    expect((await problems([file('v.yaml', 'version: "2.0"\n')])).issues).toEqual([
      expect.objectContaining({ path: 'version', message: 'must be "1.0" (or left out)', line: 1, column: 1 }),
    ]);
    const one = file('one.yaml', 'version: "1.0"\nmocks:\n  - { id: x, type: websocket, websocket: { path: /a } }\n');
    const two = file('two.yaml', 'version: "1.0"\nmocks:\n  - { id: x, type: websocket, websocket: { path: /b } }\n');
    const error = await problems([one, two]);
    expect(error.issues![0]!.message).toMatch(/mock id "x" is defined in both .*one\.yaml and .*two\.yaml/);
  });

  it('says when a file cannot be read', async () => {
    const error = await problems([join(dir, 'missing.yaml')]);
    expect(error.issues![0]!.message).toMatch(/^cannot be read: ENOENT/);
  });
});

describe('issue 22 item 6: config errors suggest the field meant; version is optional', () => {
  it('answers a near-miss key in a config file with "did you mean", at its line', async () => {
    const bad = file('typo.yaml', ['mocks:', '  - type: websocket', '    websocket:', '      path: /chat', '      echomode: true', '      matcher: []', ''].join('\n'));
    expect((await problems([bad])).issues).toEqual([
      expect.objectContaining({ path: 'mocks[0].websocket.echomode', message: 'is not a known field; did you mean "echoMode"?', line: 5 }),
      expect.objectContaining({ path: 'mocks[0].websocket.matcher', message: 'is not a known field; did you mean "matchers"?', line: 6 }),
    ]);
  });

  it('suggests nothing for a key that is not close to any field', async () => {
    const bad = file('far.yaml', 'server: { port: 0, colour: red }\n');
    expect((await problems([bad])).issues).toEqual([expect.objectContaining({ path: 'server.colour', message: 'is not a known field' })]);
  });

  it('reads a file without `version` as version "1.0"', async () => {
    const loaded = await loadConfigFiles([file('bare.yaml', 'mocks:\n  - { type: websocket, websocket: { path: /bare } }\n')]);
    expect(loaded.mocks.map((m) => m.id)).toEqual(['bare']);
    expect((configJsonSchema() as { required?: string[] }).required ?? []).not.toContain('version');
  });
});

describe('the shipped JSON Schema', () => {
  it('is generated from the same definition as the validation (run `npm run schema` after changing it)', () => {
    const shipped = JSON.parse(readFileSync(new URL('../schema/wsmock.schema.json', import.meta.url), 'utf8'));
    expect(shipped).toEqual(configJsonSchema());
  });

  it('describes the envelope fields a config file may use', () => {
    const schema = configJsonSchema() as any;
    const envelopes = schema.properties.mocks.items.oneOf as any[];
    const websocket = envelopes.find((e) => e.properties.type.const === 'websocket').properties.websocket;
    expect(Object.keys(websocket.properties).sort()).toEqual(
      ['chaos', 'contract', 'defaultResponse', 'echoMode', 'handshake', 'heartbeat', 'idleTimeout', 'intercept', 'matchers', 'maxConnections', 'maxMessageSize', 'path', 'proxy', 'record', 'replay', 'requireSubprotocol', 'scenario', 'subprotocols'].sort(),
    );
    expect(websocket.additionalProperties).toBe(false);
    expect(websocket.required).toEqual(['path']);
  });
});

//
// issue 23: `wsmock serve --kit FILE`. A kit module of the user's, written
// against the built `wsmock/kit`, registered by the flag; a config file
// serves mocks of its type to real `ws` clients, `--watch` reloads them, the
// admin API takes them; every bad input exits 1 before listening with a
// message naming the flag.
//
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { connect } from './helpers/client.js';
import { runCli, useServe } from './helpers/cli.js';
import { scratchDir } from './helpers/files.js';
import { root } from './helpers/pack.js';

const { dir, file } = scratchDir('wsmock-cli-kit-');
const serve = useServe();

// The built entry point, as a third-party module would import `wsmock/kit`.
const kitEntry = JSON.stringify(pathToFileURL(join(root, 'dist', 'kit.js')).href);

const importKit = `import { defineKit, z } from ${kitEntry};\n`;

/** The line protocol as a kit of `type`: `HELLO name` → `<greeting> name`. */
const lineKit = (type = 'line') => `defineKit({
  type: '${type}',
  defaultPath: '/line',
  schema: z.object({ greeting: z.string().default('WELCOME') }),
  connect(conn, config) {
    conn.onMessage((message) => {
      const [verb, name] = (message.text ?? '').split(' ');
      if (verb === 'HELLO') void conn.send(\`\${config.greeting} \${name}\`);
    });
  },
})`;

/** A module whose default export is the line kit of `type`. */
const lineKitModule = (type = 'line') => `${importKit}export default ${lineKit(type)};\n`;

const lineConfig = (greeting: string) => `version: "1.0"\nmocks:\n  - id: greeter\n    type: line\n    line: { path: /line, greeting: ${greeting} }\n`;

describe('issue 23: wsmock serve --kit FILE', () => {
  it('serves a config-file mock of the kit: a real ws client gets WELCOME, and the admin API adds another', async () => {
    const kit = file('line-kit.mjs', lineKitModule());
    const config = file('line.yaml', lineConfig('WELCOME'));
    const s = await serve(['--kit', kit, '--config', config, '--port', '0', '--admin-port', '0']);
    expect(s.output()).toMatch(/greeter +ws:\/\/127\.0\.0\.1:\d+\/line\n/);
    const client = await connect(`${s.wsUrl}/line`);
    client.send('HELLO ada');
    expect(await client.next()).toBe('WELCOME ada');

    const envelope = file('more.json', JSON.stringify({ type: 'line', line: { path: '/more', greeting: 'HI' } }));
    const added = await runCli(['mocks', 'add', '--file', envelope, '--admin-url', s.adminUrl!]);
    expect([added.code, added.stderr]).toEqual([0, '']);
    expect(added.stdout).toContain('Type: line');
    const other = await connect(`${s.wsUrl}/more`);
    other.send('HELLO grace');
    expect(await other.next()).toBe('HI grace');
    await Promise.all([client.close(), other.close()]);
  });

  it('resolves the path against the working directory, and registers every kit a module exports (default and named, each once)', async () => {
    const two = `${importKit}export const lineKit = ${lineKit()};\nexport default lineKit;\nexport const shoutKit = ${lineKit('shout')};\n`;
    file('two-kits.mjs', two);
    file('two.yaml', `${lineConfig('HEY')}  - id: loud\n    type: shout\n    shout: { path: /loud, greeting: OI }\n`);
    const s = await serve(['--kit', './two-kits.mjs', '--config', 'two.yaml', '--port', '0', '--no-admin'], { cwd: dir });
    const line = await connect(`${s.wsUrl}/line`);
    const loud = await connect(`${s.wsUrl}/loud`);
    line.send('HELLO ada');
    loud.send('HELLO bob');
    expect([await line.next(), await loud.next()]).toEqual(['HEY ada', 'OI bob']);
    await Promise.all([line.close(), loud.close()]);
  });

  it("a config file's server.kits loads kit modules too, paths from the config file's folder", async () => {
    mkdirSync(join(dir, 'kits'));
    file('kits/line-kit.mjs', lineKitModule());
    const config = file('with-kits.yaml', `${lineConfig('SALUT')}server:\n  kits: [./kits/line-kit.mjs]\n`);
    const s = await serve(['--config', config, '--port', '0', '--no-admin']);
    const client = await connect(`${s.wsUrl}/line`);
    client.send('HELLO ada');
    expect(await client.next()).toBe('SALUT ada');
    await client.close();
  });

  it('--watch reloads a kit mock: its clients close with 1012 and the next one gets the new config', async () => {
    const kit = file('watch-kit.mjs', lineKitModule());
    const config = file('watch.yaml', lineConfig('HELLO-BACK'));
    const s = await serve(['--kit', kit, '--config', config, '--port', '0', '--no-admin', '--watch']);
    await s.waitForOutput('watching 1 config file(s)');
    const before = await connect(`${s.wsUrl}/line`);
    writeFileSync(config, lineConfig('BONJOUR'));
    expect(await before.closed).toEqual({ code: 1012, reason: 'mock updated' });
    await s.waitForOutput('reloaded config: 1 changed, 0 added, 0 removed, 0 unchanged');
    const after = await connect(`${s.wsUrl}/line`);
    after.send('HELLO ada');
    expect(await after.next()).toBe('BONJOUR ada');
    await after.close();
  });
});

describe('issue 23: wsmock serve --kit, bad input (exit 1 before listening, the flag named)', () => {
  it('a file that does not exist', async () => {
    const { code, stdout, stderr } = await runCli(['serve', '--kit', './missing-kit.js', '--port', '0', '--no-admin'], { cwd: dir });
    expect([code, stdout]).toEqual([1, '']);
    expect(stderr.trim()).toBe(`wsmock: --kit ./missing-kit.js: no such file (${join(dir, 'missing-kit.js')}; the path is resolved against the working directory).`);
  });

  it("a server.kits path that does not exist names the config file and its folder", async () => {
    const config = file('missing-kits.yaml', `${lineConfig('HI')}server: { kits: [./nowhere.mjs] }\n`);
    const { code, stderr } = await runCli(['serve', '--config', config, '--port', '0', '--no-admin'], { cwd: dir });
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(`wsmock: missing-kits.yaml server.kits: ./nowhere.mjs: no such file (${join(dir, 'nowhere.mjs')}; the path is resolved against the folder of missing-kits.yaml).`);
  });

  it('a module that exports no kit, listing what it exports', async () => {
    const notAKit = file('not-a-kit.mjs', 'export const type = "line";\nexport default { type: "line", connect() {} };\n');
    const { code, stderr } = await runCli(['serve', '--kit', notAKit, '--port', '0', '--no-admin']);
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(
      `wsmock: --kit ${notAKit}: exports no kit. Export what defineKit() from "wsmock/kit" returns: \`export default defineKit({ … })\` or \`export const lineKit = defineKit({ … })\` (its exports: default, type).`,
    );
  });

  it('a module that cannot be imported, with the cause', async () => {
    const broken = file('broken-kit.mjs', 'throw new Error("kit exploded");\n');
    const { code, stderr } = await runCli(['serve', '--kit', broken, '--port', '0', '--no-admin']);
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(`wsmock: --kit ${broken}: cannot be imported: kit exploded`);
  });

  it('a kit whose type is a built-in kit\'s, or another --kit\'s', async () => {
    const clash = file('clash-kit.mjs', lineKitModule('jsonrpc'));
    const builtin = await runCli(['serve', '--kit', clash, '--port', '0', '--no-admin']);
    expect(builtin.code).toBe(1);
    expect(builtin.stderr.trim()).toBe(
      `wsmock: --kit ${clash}: its kit's type "jsonrpc" is the type of a built-in kit; give the kit another type (built-in: "websocket", "socketio", "graphql", "jsonrpc", "sse", "pusher", "actioncable", "phoenix", "supabase", "mqtt", "stomp", "signalr").`,
    );
    const first = file('first-kit.mjs', lineKitModule());
    const second = file('second-kit.mjs', lineKitModule());
    const twice = await runCli(['serve', '--kit', first, '--kit', second, '--port', '0', '--no-admin']);
    expect(twice.code).toBe(1);
    expect(twice.stderr.trim()).toBe(`wsmock: --kit ${second}: its kit's type "line" is already the type of the kit from --kit ${first}; a type names one kit per server.`);
  });

  it('a config file with a type no kit registered names the known types and points at --kit', async () => {
    const config = file('unregistered.yaml', lineConfig('HI'));
    const { code, stdout, stderr } = await runCli(['serve', '--config', config, '--port', '0', '--no-admin']);
    expect([code, stdout]).toEqual([1, '']);
    expect(stderr).toContain('unregistered.yaml:4:5 mocks[0].type: must be one of "websocket", "socketio", "graphql", "jsonrpc", "sse", "pusher", "actioncable", "phoenix", "supabase", "mqtt", "stomp", "signalr"');
    expect(stderr).toContain('(a mock of a kit of your own needs the kit: --kit FILE)');
  });

  it('--help lists --kit', async () => {
    const { code, stdout } = await runCli(['serve', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('-k, --kit FILE');
  });
});

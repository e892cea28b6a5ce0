import { stat } from 'node:fs/promises';
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import { resolve } from 'node:path';
import { HOST_RULE, parseHostRule } from '../admin/hostRules.js';
import { loadChaosFile, loadConfigFiles, type LoadedConfig } from '../config/load.js';
import { WsMockError, WsMockErrorCode } from '../errors.js';
import type { MockEnvelope } from '../mocks/types.js';
import { envelopeToConfig } from '../mocks/envelope.js';
import { createMockServer } from '../createMockServer.js';
import type { MockServer } from '../server/MockServer.js';
import { CliError, intFlag, parse, UsageError } from './args.js';
import { watchFiles } from './watch.js';
import { kitConfigSources, kitFlagSources, loadKits } from './kits.js';
import { serveTls, writeCaOut } from './tls.js';
import { LOG_LEVELS, logServer, type LogLevel } from './serveLog.js';
import { loadServeContracts, writeContractReport } from './asyncapiCommands.js';
import { MAX_SEED } from '../util/random.js';
import type { Kit } from '../kit/Kit.js';

export const SERVE_USAGE = `Usage: wsmock serve [options]

Runs a WebSocket mock server from config files (YAML or JSON). With no config
(and no --asyncapi contract), serves one echo mock at /ws.

Options:
  -c, --config FILE      config file, repeatable; files are merged
  -k, --kit FILE         a protocol kit module (ES module, path from the
                         working directory), repeatable: every export made
                         by defineKit() from "wsmock/kit" is registered, and
                         config files may then hold mocks of its type (a
                         config file's server.kits adds more, paths from
                         the file's folder; loaded once, at start)
  -p, --port N           WebSocket port (default 4280; 0 picks a free port)
      --host H           interface for both listeners (default 127.0.0.1)
      --admin-port N     admin API port (default 4290; 0 picks a free port)
      --no-admin         run without the admin API
      --admin-token T    require this token on admin requests; required
                         when --host is not a loopback address
      --recordings DIR   let mocks posted to the admin API read files of
                         DIR (replay.file and contract.file, inside DIR
                         only); without it they send them inline
      --proxy-allow H    an upstream a mock posted to the admin API may
                         dial: HOST or HOST:PORT, repeatable (default
                         localhost, 127.0.0.1 and [::1]; the list given
                         replaces it)
      --chaos FILE       seeded network faults for every mock (YAML or JSON
                         chaos options: drop, delay, disconnect, refuse…)
      --seed N           seed of the server's random: the same seed and the
                         same traffic replay the same faults
      --journal-limit N  frames kept per connection, oldest dropped first
                         (default 1000); closed connections are released, so
                         memory stays flat however long it runs
      --tls              serve wss:// and https:// with an ephemeral CA and
                         certificate (localhost, 127.0.0.1, ::1; one day)
      --tls-ca-out FILE  write the CA clients should trust to FILE
      --tls-cert FILE    serve your own certificate (PEM) instead; with
      --tls-key FILE     its private key (PEM, unencrypted), and optionally
      --tls-ca FILE      the CA that issued it (what --tls-ca-out writes)
      --asyncapi FILE    mocks from an AsyncAPI contract (2.6 or 3.0, YAML
                         or JSON), repeatable: a mock per channel address,
                         answering from the contract; every frame is
                         checked against it and violations are logged
      --report FILE      write the contracts' coverage report (JSON) here
                         when the server shuts down
  -w, --watch            reload config files when they change
      --log LEVEL        connections (default): a line per connection and
                         close; frames: every frame too (cut to 120
                         characters); quiet: nothing after start-up
      --json-log         one JSON object per line, for machines
  -h, --help

Log lines: "12:00:01 + conn-3 /ws/chat 127.0.0.1" (connected),
"12:00:13 - conn-3 1000 \"bye\" 12s 14↓ 9↑" (closed: code, reason, age,
frames received ↓ and sent ↑), "↓ conn-3 …" / "↑ conn-3 …" (frames).
The dashboard is at the admin URL: open it in a browser. Without a token the
admin API answers only Host names that cannot be rebound (IP addresses,
localhost) and no other site's pages (Origin); see SECURITY.md.

SIGINT or SIGTERM closes every client with 1001 and exits 0.`;

/** What `serve` writes to: the CLI passes stdout/stderr, tests can pass buffers. */
export interface ServeIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

const DEFAULT_MOCK: MockEnvelope = { id: 'echo', name: 'Echo', type: 'websocket', websocket: { path: '/ws', echoMode: true } };

function summary(server: MockServer): string[] {
  return server.mocks.list().map((m) => {
    // A Socket.IO mock's URL is the server's (what io() takes); its path is the client's `path` option.
    // An SSE mock is read over HTTP: its http(s) URL.
    const where = m.type === 'sse' ? `${m.url} (sse)` : m.url.endsWith(m.path) ? m.url : `${m.url} (${m.type}, path ${m.path})`;
    return `  ${m.id.padEnd(20)} ${where}${m.enabled ? '' : ' (disabled)'}`;
  });
}

/** Applies a reloaded config: removed mocks go, changed ones are replaced (1012), new ones are added, the rest keep their clients. */
export async function applyConfig(server: MockServer, previous: MockEnvelope[], next: MockEnvelope[]): Promise<string> {
  const before = new Map(previous.map((m) => [m.id!, JSON.stringify(m)]));
  const after = new Map(next.map((m) => [m.id!, m]));
  let removed = 0;
  let changed = 0;
  let added = 0;
  for (const id of before.keys()) {
    if (!after.has(id)) {
      await server.mocks.remove(id);
      removed++;
    }
  }
  for (const [id, envelope] of after) {
    const old = before.get(id);
    if (old === undefined) continue;
    if (old === JSON.stringify(envelope)) continue;
    const mock = server.mocks.get(id)!;
    // A mock that changed type is another mock on the same id.
    if (mock.type === envelope.type) await mock.update(envelopeToConfig(envelope), { replace: true });
    else {
      await mock.remove();
      server.mocks.define(envelope);
    }
    changed++;
  }
  for (const [id, envelope] of after) {
    if (!before.has(id)) {
      server.mocks.define(envelope);
      added++;
    }
  }
  return `${changed} changed, ${added} added, ${removed} removed, ${next.length - changed - added} unchanged`;
}

/**
 * A config file's mock of a type nobody registered is most often a kit left
 * off the command line: its issue (`must be one of "websocket", …`) says so.
 */
function withKitHint(err: unknown, kits: readonly Kit[]): unknown {
  if (!(err instanceof WsMockError) || !err.issues) return err;
  const unknownType = err.issues.some((issue) => /^mocks\[\d+\]\.type$/.test(issue.path) && issue.message.startsWith('must be one of'));
  if (!unknownType) return err;
  const hint = kits.length === 0 ? 'a mock of a kit of your own needs the kit: --kit FILE' : 'a mock of another kit needs that kit too: --kit FILE';
  return new CliError(`${err.message}\n(${hint})`);
}

/** Frames kept per connection by `wsmock serve` unless `--journal-limit` says otherwise. */
export const SERVE_JOURNAL_LIMIT = 1000;

function journalLimitFlag(value: string | undefined): number {
  if (value === undefined) return SERVE_JOURNAL_LIMIT;
  const n = Number(value);
  if (value.trim() === '' || !Number.isSafeInteger(n) || n < 1) throw new UsageError(`--journal-limit must be an integer >= 1, got "${value}".`, SERVE_USAGE);
  return n;
}

/** Whether `host` keeps a listener on this machine: a loopback address or `localhost`. */
function isLoopbackHost(host: string): boolean {
  const name = host.toLowerCase().replace(/^\[|\]$/g, '');
  return name === 'localhost' || name === '::1' || (isIP(name) === 4 && name.startsWith('127.'));
}

/** `--recordings DIR`: an existing directory, absolute. */
async function recordingsFlag(value: string): Promise<string> {
  const dir = resolve(value);
  const isDir = await stat(dir).then((s) => s.isDirectory(), () => false);
  if (!isDir) throw new CliError(`--recordings ${value}: not a directory (it must exist; mocks posted to the admin API replay files inside it).`);
  return dir;
}

/** `--proxy-allow HOST[:PORT]`, each checked. */
function proxyAllowFlag(values: string[]): string[] {
  for (const value of values) {
    if (parseHostRule(value) === undefined) throw new UsageError(`--proxy-allow ${HOST_RULE}, got "${value}".`, SERVE_USAGE);
  }
  return values;
}

/**
 * The other URLs a listener on a wildcard host answers at: one per address of
 * this machine's network interfaces (IPv4 for 0.0.0.0; every family for ::),
 * besides the loopback one in `url`. None for any other host.
 */
function otherAddresses(url: string, host: string): string[] {
  if (host !== '0.0.0.0' && host !== '::') return [];
  const parsed = new URL(url);
  const addresses = Object.values(networkInterfaces())
    .flat()
    .filter((a) => a !== undefined && !a.internal && (host === '::' || a.family === 'IPv4') && !a.address.startsWith('fe80:'));
  return addresses.map((a) => `${parsed.protocol}//${a!.family === 'IPv6' ? `[${a!.address}]` : a!.address}:${parsed.port}${parsed.pathname === '/' ? '' : parsed.pathname}`);
}

/** `wsmock serve`: resolves once the server has shut down after a signal. */
export async function serveCommand(args: string[], io: ServeIo): Promise<void> {
  const { values } = parse(
    args,
    {
      config: { type: 'string', short: 'c', multiple: true },
      kit: { type: 'string', short: 'k', multiple: true },
      port: { type: 'string', short: 'p' },
      host: { type: 'string' },
      'admin-port': { type: 'string' },
      'no-admin': { type: 'boolean' },
      'admin-token': { type: 'string' },
      recordings: { type: 'string' },
      'proxy-allow': { type: 'string', multiple: true },
      'journal-limit': { type: 'string' },
      chaos: { type: 'string' },
      seed: { type: 'string' },
      tls: { type: 'boolean' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'tls-ca': { type: 'string' },
      'tls-ca-out': { type: 'string' },
      watch: { type: 'boolean', short: 'w' },
      log: { type: 'string' },
      'json-log': { type: 'boolean' },
      asyncapi: { type: 'string', multiple: true },
      report: { type: 'string' },
    },
    SERVE_USAGE,
  );
  if (values.help) return io.out(SERVE_USAGE);
  const files = (values.config ?? []).map((f) => resolve(f));
  const port = intFlag(values.port, 'port', SERVE_USAGE);
  const adminPort = intFlag(values['admin-port'], 'admin-port', SERVE_USAGE);
  const journalLimit = journalLimitFlag(values['journal-limit']);
  const seedFlag = intFlag(values.seed, 'seed', SERVE_USAGE, 0, MAX_SEED);
  const logLevel = (values.log ?? 'connections') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) throw new UsageError(`--log must be one of ${LOG_LEVELS.join(', ')}, got "${values.log}".`, SERVE_USAGE);
  const jsonLog = values['json-log'] === true;
  const chaosFile = values.chaos === undefined ? undefined : await loadChaosFile(resolve(values.chaos));

  // Validate everything before listening: a bad config exits 1 with nothing bound.
  // The kits first: config files may hold mocks of their types.
  const kits = await loadKits([...kitFlagSources(values.kit ?? []), ...(await kitConfigSources(files))]);
  const loadConfig = async () => {
    try {
      return await loadConfigFiles(files, { kits });
    } catch (err) {
      throw withKitHint(err, kits);
    }
  };
  const contracts = await loadServeContracts(values.asyncapi ?? []);
  const defaultMocks = contracts.length > 0 ? [] : [DEFAULT_MOCK];
  let config: LoadedConfig = files.length > 0 ? await loadConfig() : { server: {}, mocks: defaultMocks, sources: {} };
  const block = config.server;
  const host = values.host ?? block.host ?? '127.0.0.1';
  const wsPort = port ?? block.port ?? 4280;
  const withAdmin = !values['no-admin'] && block.admin !== false;
  const token = values['admin-token'] ?? block.adminToken;
  if (withAdmin && token === undefined && !isLoopbackHost(host)) {
    throw new UsageError(
      `--host ${host} would open the admin API beyond this machine with no token, and the admin API can define mocks that replay files and dial upstreams. ` +
        'Add --admin-token T (clients then send "Authorization: Bearer T"), run with --no-admin, or keep --host 127.0.0.1.',
      SERVE_USAGE,
    );
  }
  const admin = {
    host,
    port: adminPort ?? block.adminPort ?? 4290,
    ...(token === undefined ? {} : { token }),
    ...(values.recordings === undefined ? {} : { recordings: await recordingsFlag(values.recordings) }),
    ...(values['proxy-allow'] === undefined ? {} : { proxyAllow: proxyAllowFlag(values['proxy-allow']) }),
  };
  const tls = await serveTls(values, block, SERVE_USAGE);

  let server: MockServer;
  try {
    server = await createMockServer({
      port: wsPort,
      host,
      closeTimeout: 1000,
      // A server left running for days: bounded journals, closed connections forgotten.
      journal: { limit: journalLimit, releaseClosed: true },
      kits,
      mocks: config.mocks,
      ...(seedFlag ?? block.seed) !== undefined ? { seed: (seedFlag ?? block.seed)! } : {},
      ...(chaosFile ?? block.chaos) ? { chaos: (chaosFile ?? block.chaos)! } : {},
      ...(tls ? { tls } : {}),
      ...(withAdmin ? { admin } : {}),
    });
  } catch (err) {
    if (err instanceof WsMockError && err.code === WsMockErrorCode.LISTEN_FAILED) {
      const flag = err.message.includes(`:${wsPort}:`) ? '--port' : '--admin-port';
      throw new CliError(`${err.message.replace(/\.$/, '')} (${flag}). Choose another port, or stop the process that uses it.`);
    }
    throw err;
  }
  try {
    for (const contract of contracts) await server.asyncapi(contract);
  } catch (err) {
    await server.close();
    throw err;
  }

  const dashboardUrl = server.adminUrl ? `${server.adminUrl}/` : undefined;
  // Everything serve says after start-up, as a line of the chosen format.
  const say = (message: string) => io.out(jsonLog ? JSON.stringify({ time: new Date().toISOString(), event: 'info', message }) : message);
  const caLine = await writeCaOut(values, server.tls?.ca).catch(async (err: Error) => {
    await server.close();
    throw new CliError(`Cannot write --tls-ca-out: ${err.message}`);
  });
  if (jsonLog) {
    const mocks = server.mocks.list().map((m) => ({ id: m.id, type: m.type, url: m.url, enabled: m.enabled }));
    const also = { urls: otherAddresses(server.url, host), adminUrls: server.adminUrl ? otherAddresses(server.adminUrl, host) : [] };
    io.out(JSON.stringify({ time: new Date().toISOString(), event: 'listening', url: server.url, adminUrl: server.adminUrl ?? null, ...(also.urls.length > 0 ? { also } : {}), dashboardUrl: dashboardUrl ?? null, mocks, ...(server.chaosOptions ? { seed: server.seed } : {}) }));
    if (caLine) say(caLine);
  } else {
    const everywhere = host === '0.0.0.0' || host === '::' ? ` (and every interface: --host ${host})` : '';
    io.out(`wsmock listening on ${server.url}${everywhere}`);
    for (const url of otherAddresses(server.url, host)) io.out(`  also on ${url}`);
    if (server.adminUrl) {
      io.out(`admin API on ${server.adminUrl}${everywhere}${admin.token ? ' (token required)' : ''}`);
      for (const url of otherAddresses(server.adminUrl, host)) io.out(`  also on ${url}`);
    }
    if (dashboardUrl) io.out(`dashboard on ${dashboardUrl}`);
    if (caLine) io.out(caLine);
    io.out(`mocks:\n${summary(server).join('\n') || '  (none)'}`);
    if (server.chaosOptions) io.out(`chaos on: seed ${server.seed} (--seed ${server.seed} replays it)`);
  }
  const stopLogging = logServer(server, logLevel, jsonLog, io.out);

  let stopWatching = () => {};
  if (values.watch && files.length > 0) {
    let reloading = Promise.resolve();
    stopWatching = watchFiles(files, () => {
      reloading = reloading.then(async () => {
        try {
          const next = await loadConfig();
          const result = await applyConfig(server, config.mocks, next.mocks);
          config = next;
          say(`reloaded config: ${result}`);
        } catch (err) {
          io.err(`reload failed, still serving the last good config:\n${(err as Error).message}`);
        }
      });
    });
    say(`watching ${files.length} config file(s) for changes`);
  }

  await new Promise<void>((done) => {
    const shutdown = (signal: string) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      say(`${signal}: closing connections and shutting down`);
      stopWatching();
      const report = values.report === undefined ? Promise.resolve() : writeContractReport(server, values.report).then(() => say(`wrote the contract report to ${values.report}`), (err: Error) => io.err(err.message));
      report.then(() => server.close()).then(done, done).finally(stopLogging);
    };
    const onInt = () => shutdown('SIGINT');
    const onTerm = () => shutdown('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
  });
}

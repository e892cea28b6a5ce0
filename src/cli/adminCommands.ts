import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import YAML from 'yaml';
import type { ConnectionInfo } from '../connections/types.js';
import type { MockEnvelope, WebSocketEnvelope } from '../mocks/types.js';
import type { Stats } from '../server/stats.js';
import { CliError, intFlag, parse, UsageError } from './args.js';
import { adminTarget, call } from './adminClient.js';
import { json, table } from './table.js';

const common = {
  'admin-url': { type: 'string' },
  'admin-token': { type: 'string' },
  json: { type: 'boolean' },
} as const;

export const CONNECTIONS_USAGE = `Usage: wsmock connections <list|get|wait|close|send> [options]

  wsmock connections list [--mock ID] [--path P]   open connections
  wsmock connections get ID                        one connection
  wsmock connections wait --count N [--timeout 5s] [--mock ID]
                                                   until exactly N are open
                                                   (exit 1 on timeout)
  wsmock connections close ID [--code N] [--reason R]
  wsmock connections send ID MESSAGE [--type text|json|binary]
                                                   binary MESSAGE is base64

Options: --admin-url URL (default http://127.0.0.1:4290, env WSMOCK_ADMIN_URL)
         --admin-token T (env WSMOCK_ADMIN_TOKEN)   --json   -h, --help`;

export const MOCKS_USAGE = `Usage: wsmock mocks <list|get|add|remove> [options]

  wsmock mocks list
  wsmock mocks get ID
  wsmock mocks add --path P --echo [--id ID]      a quick echo mock
  wsmock mocks add --file F                       mocks from a YAML/JSON config or one envelope;
                                                  a replay.file found on this machine is read
                                                  here and sent inline
  wsmock mocks remove ID                          its clients are closed with 1012

Options: --admin-url URL  --admin-token T  --json  -h, --help`;

export const STATS_USAGE = `Usage: wsmock stats [--admin-url URL] [--admin-token T] [--json]

Prints connection and message counts of a running wsmock.`;

function statsLines(stats: Stats): string {
  const rows = [
    ['connections (total)', stats.totalConnections],
    ['connections (active)', stats.activeConnections],
    ['connections (rejected)', stats.rejectedConnections],
    ['messages sent', stats.totalMessagesSent],
    ['messages received', stats.totalMessagesRecv],
    ['bytes sent', stats.totalBytesSent],
    ['bytes received', stats.totalBytesRecv],
  ];
  const byMock = Object.entries(stats.connectionsByMock).map(([id, n]) => [`  ${id}`, n]);
  return table(['figure', 'value'], [...rows, ...(byMock.length ? [['active by mock', ''], ...byMock] : [])]);
}

function connectionTable(connections: ConnectionInfo[]): string {
  if (connections.length === 0) return 'No open connections.';
  return table(
    ['ID', 'MOCK', 'URL', 'CLIENT', 'CONNECTED', 'IN', 'OUT', 'STATUS'],
    connections.map((c) => [c.id, c.mockId, c.url, c.clientIp, c.connectedAt, c.messagesRecv, c.messagesSent, c.status]),
  );
}

/** The path of a mock of any type (its fields sit under the key named by its type). */
function pathOf(envelope: MockEnvelope): string {
  return (envelope as unknown as Record<string, { path: string }>)[envelope.type]!.path;
}

function mockTable(mocks: MockEnvelope[]): string {
  if (mocks.length === 0) return 'No mocks.';
  return table(
    ['ID', 'PATH', 'ENABLED', 'NAME'],
    mocks.map((m) => [m.id, pathOf(m), m.enabled === false ? 'no' : 'yes', m.name]),
  );
}

function need(positionals: string[], index: number, what: string, usage: string): string {
  const value = positionals[index];
  if (value === undefined) throw new UsageError(`Missing ${what}.`, usage);
  return value;
}

/** `wsmock connections …` */
export async function connectionsCommand(args: string[], out: (s: string) => void): Promise<void> {
  const usage = CONNECTIONS_USAGE;
  const { values, positionals } = parse(
    args,
    {
      ...common,
      mock: { type: 'string' },
      path: { type: 'string' },
      code: { type: 'string' },
      reason: { type: 'string' },
      type: { type: 'string' },
      count: { type: 'string' },
      timeout: { type: 'string' },
    },
    usage,
  );
  if (values.help) return out(usage);
  const target = adminTarget(values);
  const [action] = positionals;
  const enc = encodeURIComponent;
  switch (action) {
    case 'list': {
      const query = new URLSearchParams();
      if (values.mock) query.set('mockId', values.mock);
      if (values.path) query.set('path', values.path);
      const q = query.size ? `?${query}` : '';
      const data = (await call(target, 'GET', `/websocket/connections${q}`)) as { connections: ConnectionInfo[] };
      return out(values.json ? json(data) : connectionTable(data.connections));
    }
    case 'wait': {
      const count = intFlag(values.count, 'count', usage, 0, Number.MAX_SAFE_INTEGER);
      if (count === undefined) throw new UsageError('connections wait needs --count N.', usage);
      const query = new URLSearchParams({ wait: '1', count: String(count) });
      if (values.timeout !== undefined) query.set('timeout', values.timeout);
      if (values.mock) query.set('mockId', values.mock);
      const data = (await call(target, 'GET', `/websocket/connections?${query}`)) as { connections: ConnectionInfo[] };
      return out(values.json ? json(data) : `${count} connection(s) open.${count > 0 ? `\n${connectionTable(data.connections)}` : ''}`);
    }
    case 'get': {
      const data = (await call(target, 'GET', `/websocket/connections/${enc(need(positionals, 1, 'connection ID', usage))}`)) as ConnectionInfo;
      return out(values.json ? json(data) : connectionTable([data]));
    }
    case 'close': {
      const id = need(positionals, 1, 'connection ID', usage);
      const body: Record<string, unknown> = {};
      const code = intFlag(values.code, 'code', usage, 1000, 4999);
      if (code !== undefined) body.code = code;
      if (values.reason !== undefined) body.reason = values.reason;
      const data = await call(target, 'DELETE', `/websocket/connections/${enc(id)}`, body);
      return out(values.json ? json(data) : `Closed ${id}.`);
    }
    case 'send': {
      const id = need(positionals, 1, 'connection ID', usage);
      const message = need(positionals, 2, 'MESSAGE', usage);
      const type = values.type ?? 'text';
      if (!['text', 'json', 'binary'].includes(type)) throw new UsageError(`--type must be text, json or binary, got "${type}".`, usage);
      let data: unknown = message;
      if (type === 'json') {
        try {
          data = JSON.parse(message);
        } catch {
          throw new CliError(`MESSAGE is not valid JSON (--type json): ${message}`);
        }
      }
      const result = await call(target, 'POST', `/websocket/connections/${enc(id)}/send`, { type, data });
      return out(values.json ? json(result) : `Sent ${type} message to ${id}.`);
    }
    default:
      throw new UsageError(action ? `Unknown action "${action}".` : 'Missing action.', usage);
  }
}

/** `wsmock stats` */
export async function statsCommand(args: string[], out: (s: string) => void): Promise<void> {
  const { values, positionals } = parse(args, common, STATS_USAGE);
  if (values.help) return out(STATS_USAGE);
  if (positionals.length > 0) throw new UsageError(`Unexpected argument "${positionals[0]}".`, STATS_USAGE);
  const stats = (await call(adminTarget(values), 'GET', '/websocket/stats')) as Stats;
  out(values.json ? json(stats) : statsLines(stats));
}

async function envelopesFromFile(file: string): Promise<MockEnvelope[]> {
  let parsed: unknown;
  try {
    parsed = YAML.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new CliError(`Cannot read mocks from ${file}: ${(err as Error).message.split('\n')[0]}`);
  }
  const envelopes = parsed && typeof parsed === 'object' && 'mocks' in parsed ? ((parsed as { mocks: MockEnvelope[] }).mocks ?? []) : Array.isArray(parsed) ? (parsed as MockEnvelope[]) : [parsed as MockEnvelope];
  for (const envelope of envelopes) await inlineRecording(envelope);
  return envelopes;
}

/**
 * A replay's `file` that exists here (relative to the working directory, as
 * `wsmock serve` reads a config's) is read here and sent inline: the admin
 * API reads files only inside the server's recordings directory. A path that
 * does not exist here is sent as written, for the server to find there.
 */
async function inlineRecording(envelope: MockEnvelope): Promise<void> {
  const replay = (envelope as { websocket?: { replay?: { file?: unknown; recording?: unknown } } } | null)?.websocket?.replay;
  if (typeof replay !== 'object' || replay === null || typeof replay.file !== 'string') return;
  const path = resolve(replay.file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new CliError(`Cannot read the recording ${path}: ${(err as Error).message}`);
  }
  try {
    replay.recording = JSON.parse(text) as unknown;
  } catch (err) {
    throw new CliError(`The recording ${path} is not valid JSON: ${(err as Error).message}`);
  }
  delete replay.file;
}

/** `wsmock mocks …` */
export async function mocksCommand(args: string[], out: (s: string) => void): Promise<void> {
  const usage = MOCKS_USAGE;
  const { values, positionals } = parse(
    args,
    { ...common, path: { type: 'string' }, echo: { type: 'boolean' }, file: { type: 'string', short: 'f' }, id: { type: 'string' } },
    usage,
  );
  if (values.help) return out(usage);
  const target = adminTarget(values);
  const [action] = positionals;
  switch (action) {
    case 'list': {
      const data = (await call(target, 'GET', '/mocks')) as { mocks: MockEnvelope[] };
      return out(values.json ? json(data) : mockTable(data.mocks));
    }
    case 'get': {
      const data = (await call(target, 'GET', `/mocks/${encodeURIComponent(need(positionals, 1, 'mock ID', usage))}`)) as MockEnvelope;
      return out(values.json ? json(data) : YAML.stringify(data).trimEnd());
    }
    case 'add': {
      let envelopes: MockEnvelope[];
      if (values.file !== undefined) {
        if (values.path !== undefined) throw new UsageError('Use either --file or --path, not both.', usage);
        envelopes = await envelopesFromFile(values.file);
      } else if (values.path !== undefined) {
        if (!values.echo) throw new UsageError('--path creates an echo mock: add --echo (use --file for anything else).', usage);
        envelopes = [{ type: 'websocket', ...(values.id ? { id: values.id } : {}), websocket: { path: values.path, echoMode: true } }];
      } else {
        throw new UsageError('mocks add needs --path P --echo, or --file F.', usage);
      }
      const created: { id: string; mock: MockEnvelope }[] = [];
      for (const envelope of envelopes) created.push((await call(target, 'POST', '/mocks', envelope)) as { id: string; mock: MockEnvelope });
      if (values.json) return out(json(created));
      return out(
        created
          .map((c) => {
            const echo = c.mock.type === 'websocket' ? `\n  Echo: ${(c.mock as WebSocketEnvelope).websocket.echoMode ? 'enabled' : 'disabled'}` : '';
            return `Created mock: ${c.id}\n  Type: ${c.mock.type}\n  Path: ${pathOf(c.mock)}${echo}`;
          })
          .join('\n'),
      );
    }
    case 'remove': {
      const id = need(positionals, 1, 'mock ID', usage);
      await call(target, 'DELETE', `/mocks/${encodeURIComponent(id)}`);
      return out(values.json ? json({ id, action: 'removed' }) : `Removed mock ${id}.`);
    }
    default:
      throw new UsageError(action ? `Unknown action "${action}".` : 'Missing action.', usage);
  }
}

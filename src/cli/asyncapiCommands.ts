//
// The command line's AsyncAPI parts: `wsmock asyncapi to-config FILE` (the
// mocks a contract makes, as an editable config file), and what
// `wsmock serve --asyncapi FILE --report OUT` adds to serve (loading the
// contracts before anything listens, writing the coverage report at
// shutdown). The loader is imported when a contract is used, never before.
//
import { writeFile } from 'node:fs/promises';
import { relative, resolve, sep } from 'node:path';
import { stringify } from 'yaml';
import type { AsyncApiContract, ContractChannel, ContractMessage, ContractOperation } from '../asyncapi/model.js';
import { channelsByPath } from '../asyncapi/mocks.js';
import type { MockEnvelope } from '../mocks/types.js';
import type { MockServer } from '../server/MockServer.js';
import { SeededRandom } from '../util/random.js';
import { CliError, intFlag, parse, UsageError } from './args.js';

/** What `wsmock asyncapi --help` prints. */
export const ASYNCAPI_USAGE = `Usage: wsmock asyncapi to-config FILE [options]

Prints the mocks an AsyncAPI contract (2.6 or 3.0, YAML or JSON) makes as an
editable config file: one WebSocket mock per channel address, answering from
the contract and checking its traffic against it (a "contract" block naming
FILE). The header lists, per mock, what each request is answered with and what
the server may send by itself, as built from the contract.

Options:
      --server NAME       serve the channels of this server of the contract
      --seed N            seed of the values generated from schemas (default 1)
  -o, --out FILE          write the config here instead of printing it
  -h, --help`;

/** Loads a contract with the loader, imported only now (it brings ajv and the AsyncAPI schemas). */
export async function loadContract(file: string, options: { server?: string } = {}): Promise<AsyncApiContract> {
  const { loadAsyncApi } = await import('../asyncapi/load.js');
  return loadAsyncApi(resolve(file), options.server === undefined ? {} : { server: options.server });
}

/** A mock id from a channel address: `/` is `root`, `/v1/marketdata/:symbol` is `v1-marketdata-symbol`. */
export function mockIdOf(path: string): string {
  const slug = path
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase();
  return slug === '' ? 'root' : slug;
}

/** How a config file names the contract: relative to the working directory when it is below it. */
function contractPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel.startsWith('..') || rel.startsWith(sep) ? file : rel.split(sep).join('/');
}

/** One line of JSON for the header, cut to stay readable. */
function oneLine(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 150 ? `${text.slice(0, 149)}…` : text;
}

/** What the contract would send for `message`, or why it cannot make one. */
function sample(message: ContractMessage, random: SeededRandom, build: (message: ContractMessage, random: SeededRandom) => unknown): string {
  try {
    return oneLine(build(message, random));
  } catch (err) {
    return `(cannot be generated: ${(err as Error).message})`;
  }
}

/** The header lines of one mock: its requests and their replies, and what the server sends by itself. */
function describeMock(
  id: string,
  channels: readonly ContractChannel[],
  operations: readonly ContractOperation[],
  random: SeededRandom,
  build: (message: ContractMessage, random: SeededRandom) => unknown,
): string[] {
  const mine = operations.filter((op) => channels.includes(op.channel));
  const lines = [`Mock "${id}" (channels ${channels.map((c) => c.id).join(', ')}):`];
  for (const op of mine.filter((o) => o.action === 'receive')) {
    const asks = op.messages.map((m) => m.key).join(' | ');
    if (op.reply && op.reply.messages[0]) {
      const reply = op.reply.messages[0];
      const correlated = reply.correlationPointer ? ` (${reply.correlationPointer.slice(1)} copied from the request)` : '';
      lines.push(`  ${op.id}: ${asks} is answered with ${reply.key}${correlated}: ${sample(reply, random, build)}`);
    } else lines.push(`  ${op.id}: ${asks} is accepted, with no answer`);
  }
  for (const op of mine.filter((o) => o.action === 'send')) {
    for (const message of op.messages) lines.push(`  ${op.id}: the server may send ${message.key}: ${sample(message, random, build)}`);
  }
  return lines;
}

/**
 * The mocks `server.asyncapi()` makes for `contract`, as a config file: a
 * WebSocket mock per address with a `contract` block (the file, its channels,
 * replies from the contract), and a header saying what each mock answers and
 * may send, with the values the contract gives (seeded by `seed`).
 */
export async function contractToConfig(contract: AsyncApiContract, file: string, options: { seed?: number; server?: string } = {}): Promise<string> {
  const { buildMessage } = await import('../asyncapi/generate.js');
  const random = new SeededRandom(options.seed ?? 1);
  const header = [`Made by wsmock asyncapi to-config from ${contractPath(file)} (${contract.title}, AsyncAPI ${contract.version}). Edit freely.`];
  header.push(
    'Each mock answers from the contract (contract.replies: true) and checks every frame both ways against it.',
    'Answer an operation yourself with contract.replies: { <operation>: <payload> }, or add matchers.',
    '',
  );
  const mocks: MockEnvelope[] = [];
  const ids = new Set<string>();
  for (const [path, channels] of channelsByPath(contract)) {
    let id = mockIdOf(path);
    for (let n = 2; ids.has(id); n++) id = `${mockIdOf(path)}-${n}`;
    ids.add(id);
    header.push(...describeMock(id, channels, contract.operations, random, buildMessage));
    const websocket = {
      path,
      echoMode: false,
      contract: {
        file: contractPath(file),
        channel: channels.length === 1 ? channels[0]!.id : channels.map((c) => c.id),
        replies: true,
        ...(options.server === undefined ? {} : { server: options.server }),
      },
    };
    mocks.push({ id, name: `${contract.title} ${path}`, type: 'websocket', websocket } as MockEnvelope);
  }
  for (const skipped of contract.skipped) header.push(`Not served: channel ${skipped.channel} (${skipped.reason})`);
  for (const warning of contract.warnings) header.push(`Warning: ${warning.path}: ${warning.message}`);
  const comment = header.map((line) => (line === '' ? '#' : `# ${line}`)).join('\n');
  return `${comment}\n${stringify({ version: '1.0', mocks }, { lineWidth: 0 })}`;
}

/** `wsmock asyncapi …`. */
export async function asyncapiCommand(args: string[], out: (line: string) => void): Promise<void> {
  const [sub, ...rest] = args;
  if (sub !== 'to-config') {
    if (sub === undefined || sub === '-h' || sub === '--help') {
      out(ASYNCAPI_USAGE);
      return;
    }
    throw new UsageError(`Unknown asyncapi command "${sub}".`, ASYNCAPI_USAGE);
  }
  const { values, positionals } = parse(rest, { server: { type: 'string' }, seed: { type: 'string' }, out: { type: 'string', short: 'o' } }, ASYNCAPI_USAGE);
  if (values.help) return out(ASYNCAPI_USAGE);
  if (positionals.length !== 1) throw new UsageError('Give one AsyncAPI FILE.', ASYNCAPI_USAGE);
  const seed = intFlag(values.seed, 'seed', ASYNCAPI_USAGE, 0, 0xffff_ffff);
  const file = resolve(positionals[0]!);
  const contract = await loadContract(file, values.server === undefined ? {} : { server: values.server });
  const yaml = await contractToConfig(contract, file, {
    ...(seed === undefined ? {} : { seed }),
    ...(values.server === undefined ? {} : { server: values.server }),
  });
  if (values.out) {
    await writeFile(values.out, yaml);
    out(`wrote ${values.out}`);
  } else out(yaml.trimEnd());
}

/** `serve --asyncapi FILE…`: every contract loaded and checked before anything listens. */
export async function loadServeContracts(files: readonly string[]): Promise<AsyncApiContract[]> {
  const loaded = [];
  for (const file of files) loaded.push(await loadContract(file));
  return loaded;
}

/** `serve --report FILE`: the coverage report, as JSON, written when the server shuts down. */
export async function writeContractReport(server: MockServer, file: string): Promise<void> {
  try {
    await writeFile(file, `${JSON.stringify(server.contractReport(), null, 2)}\n`);
  } catch (err) {
    throw new CliError(`Cannot write --report ${file}: ${(err as Error).message}`);
  }
}

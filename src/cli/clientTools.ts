import { readFile } from 'node:fs/promises';
import WebSocket from 'ws';
import { parseDuration } from '../util/duration.js';
import { realClearTimeout, realSetTimeout } from '../util/clock.js';
import { CliError, intFlag, parse, UsageError } from './args.js';

export const SEND_USAGE = `Usage: wsmock send URL MESSAGE [options]

Connects, sends MESSAGE (or the contents of a file with @FILE), prints the
replies, and exits after --count replies or when --timeout passes.

Options:
  -H, --header K:V        request header, repeatable
      --subprotocol P     offer this subprotocol
  -t, --timeout D         how long to wait to connect and for replies (default 5s)
  -n, --count N           replies to wait for; 0 prints replies until the timeout (default 1)
      --binary            send MESSAGE as a binary frame
      --json              print each reply as a JSON line
  -h, --help`;

export const LISTEN_USAGE = `Usage: wsmock listen URL [options]

Connects and prints incoming messages until -n messages arrived or the server
closes the connection.

Options:
  -H, --header K:V        request header, repeatable
      --subprotocol P     offer this subprotocol
  -t, --timeout D         how long to wait to connect (default 30s)
  -n, --count N           exit after N messages (default 0: keep listening)
      --json              print each message as a JSON line
  -h, --help`;

const shared = {
  header: { type: 'string', short: 'H', multiple: true },
  subprotocol: { type: 'string' },
  timeout: { type: 'string', short: 't' },
  count: { type: 'string', short: 'n' },
  json: { type: 'boolean' },
} as const;

function headers(list: string[] | undefined, usage: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of list ?? []) {
    const at = entry.indexOf(':');
    if (at <= 0) throw new UsageError(`--header must look like "Name: value", got "${entry}".`, usage);
    out[entry.slice(0, at).trim()] = entry.slice(at + 1).trim();
  }
  return out;
}

function timeoutFlag(value: string | undefined, fallback: number, usage: string): number {
  if (value === undefined) return fallback;
  const ms = parseDuration(/^\d+(\.\d+)?$/.test(value) ? `${value}s` : value);
  if (ms === undefined) throw new UsageError(`--timeout must be a duration like 500ms, 5s or 1m, got "${value}".`, usage);
  return ms;
}

function render(data: Buffer, isBinary: boolean, asJson: boolean): string {
  if (asJson) return JSON.stringify(isBinary ? { type: 'binary', data: data.toString('base64') } : { type: 'text', data: data.toString('utf8') });
  return isBinary ? `<binary ${data.length} bytes> ${data.toString('base64')}` : data.toString('utf8');
}

/** Opens a client and resolves once the handshake completes, or fails with one readable line. */
function open(url: string, usage: string, values: { header?: string[]; subprotocol?: string }, timeout: number): Promise<WebSocket> {
  if (!/^wss?:\/\//.test(url)) throw new UsageError(`URL must start with ws:// or wss://, got "${url}".`, usage);
  const ws = new WebSocket(url, values.subprotocol ? [values.subprotocol] : [], {
    headers: headers(values.header, usage),
    handshakeTimeout: timeout,
  });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c));
      res.on('end', () => reject(new CliError(`${url} refused the connection: HTTP ${res.statusCode} ${body}`.trim())));
    });
    ws.once('error', (err) => reject(new CliError(`Cannot connect to ${url}: ${err.message}`)));
  });
}

/** `wsmock send URL MESSAGE` */
export async function sendCommand(args: string[], out: (s: string) => void): Promise<void> {
  const usage = SEND_USAGE;
  const { values, positionals } = parse(args, { ...shared, binary: { type: 'boolean' } }, usage);
  if (values.help) return out(usage);
  const [url, raw] = positionals;
  if (url === undefined || raw === undefined) throw new UsageError('send needs URL and MESSAGE.', usage);
  const timeout = timeoutFlag(values.timeout, 5000, usage);
  const count = intFlag(values.count, 'count', usage, 0, Number.MAX_SAFE_INTEGER) ?? 1;
  let message: string | Buffer = raw;
  if (raw.startsWith('@')) {
    try {
      message = await readFile(raw.slice(1));
    } catch (err) {
      throw new CliError(`Cannot read the message file ${raw.slice(1)}: ${(err as Error).message}`);
    }
  }
  const ws = await open(url, usage, values, timeout);
  let received = 0;
  try {
    await replies();
  } finally {
    ws.terminate();
  }

  function replies() {
    return new Promise<void>((resolve, reject) => {
    const timer = realSetTimeout(() => {
      if (count === 0) resolve();
      else reject(new CliError(`Timed out after ${timeout} ms with ${received} of ${count} replies from ${url}.`));
    }, timeout);
    const finish = (fn: () => void) => {
      realClearTimeout(timer);
      fn();
    };
    ws.on('message', (data: Buffer, isBinary) => {
      out(render(data, isBinary, values.json === true));
      if (++received === count) finish(resolve);
    });
    ws.once('close', (code, reason) => {
      if (count !== 0 && received < count) finish(() => reject(new CliError(`${url} closed the connection (${code} ${reason}) after ${received} of ${count} replies.`)));
      else finish(resolve);
    });
    ws.send(message, { binary: values.binary === true || (typeof message !== 'string' && !isUtf8Text(message)) });
    });
  }
}

function isUtf8Text(buffer: Buffer): boolean {
  return Buffer.from(buffer.toString('utf8')).equals(buffer);
}

/** `wsmock listen URL` */
export async function listenCommand(args: string[], out: (s: string) => void, err: (s: string) => void): Promise<void> {
  const usage = LISTEN_USAGE;
  const { values, positionals } = parse(args, shared, usage);
  if (values.help) return out(usage);
  const [url] = positionals;
  if (url === undefined) throw new UsageError('listen needs URL.', usage);
  const count = intFlag(values.count, 'count', usage, 0, Number.MAX_SAFE_INTEGER) ?? 0;
  const ws = await open(url, usage, values, timeoutFlag(values.timeout, 30_000, usage));
  let received = 0;
  const stop = () => ws.close(1000, 'listener stopped');
  process.once('SIGINT', stop);
  await new Promise<void>((resolve, reject) => {
    ws.on('message', (data: Buffer, isBinary) => {
      out(render(data, isBinary, values.json === true));
      if (++received === count) ws.close(1000);
    });
    ws.once('close', (code, reason) => {
      process.off('SIGINT', stop);
      if (count !== 0 && received < count) reject(new CliError(`${url} closed the connection (${code} ${reason}) after ${received} of ${count} messages.`));
      else {
        if (count === 0) err(`Connection closed (${code}${reason.length ? ` ${reason}` : ''}).`);
        resolve();
      }
    });
  });
}

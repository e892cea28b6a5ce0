//
// `wsmock record --upstream URL --out FILE`: a proxy mock with `record: true`
// in front of a real server. Clients connect to wsmock instead of the
// upstream; what passes both ways is written to FILE as a wsmock-recording/1
// file after every connection that closes, and once more on SIGINT/SIGTERM
// (before the open connections are closed, so the server's shutdown is not
// recorded as their close).
//
import { resolve } from 'node:path';
import { WsMockError, WsMockErrorCode } from '../errors.js';
import { createMockServer } from '../createMockServer.js';
import type { MockServer } from '../server/MockServer.js';
import { CliError, intFlag, parse, UsageError } from './args.js';

export const RECORD_USAGE = `Usage: wsmock record --upstream URL --out FILE [options]

Listens like a server and passes every client through to URL, recording what
passes both ways into FILE (wsmock-recording/1). FILE is written after each
connection closes and on SIGINT/SIGTERM. Replay it with
\`replay: { file: FILE }\` or turn it into a config with \`wsmock recording to-config FILE\`.

Options:
  -u, --upstream URL      the real server (ws: or wss:)
  -o, --out FILE          where the recording goes
  -p, --port P            port to listen on (default 4280; 0 picks a free one)
      --host H            host to listen on (default 127.0.0.1)
      --path P            the path clients connect to (default: the upstream URL's path)
      --limit N           most frames kept per connection (default 10000)
  -h, --help`;

/** `wsmock record …`: resolves when a signal stopped it, after the last save. */
export async function recordCommand(args: string[], io: { out: (line: string) => void; err: (line: string) => void }): Promise<void> {
  const { values } = parse(
    args,
    {
      upstream: { type: 'string', short: 'u' },
      out: { type: 'string', short: 'o' },
      port: { type: 'string', short: 'p' },
      host: { type: 'string' },
      path: { type: 'string' },
      limit: { type: 'string' },
    },
    RECORD_USAGE,
  );
  if (values.help) return io.out(RECORD_USAGE);
  if (!values.upstream) throw new UsageError('--upstream URL is required.', RECORD_USAGE);
  if (!values.out) throw new UsageError('--out FILE is required.', RECORD_USAGE);
  const out = resolve(values.out);
  const port = intFlag(values.port, 'port', RECORD_USAGE) ?? 4280;
  const limit = intFlag(values.limit, 'limit', RECORD_USAGE, 1, Number.MAX_SAFE_INTEGER) ?? 10_000;
  let path = values.path;
  if (path === undefined) {
    try {
      path = new URL(values.upstream).pathname || '/';
    } catch {
      path = '/';
    }
  }

  let server: MockServer;
  try {
    server = await createMockServer({
      port,
      host: values.host ?? '127.0.0.1',
      closeTimeout: 1000,
      journal: { limit, releaseClosed: true },
      // The mock's config (the upstream URL above all) is validated before anything listens.
      mocks: [{ id: 'record', type: 'websocket', websocket: { path, record: true, proxy: { url: values.upstream, forwardHeaders: true } } }],
    });
  } catch (err) {
    if (err instanceof WsMockError && err.code === WsMockErrorCode.LISTEN_FAILED) {
      throw new CliError(`${err.message.replace(/\.$/, '')} (--port). Choose another port, or stop the process that uses it.`);
    }
    throw err;
  }

  // Saves run one after another; the last one written is the newest.
  let saving = Promise.resolve();
  let stopping = false;
  const save = (why: string) => {
    const recording = server.recording('record');
    saving = saving
      .then(() => recording.save(out))
      .then(
        () => io.out(`saved ${recording.connections.length} connection(s) to ${out} (${why})`),
        (err: unknown) => io.err(`could not write ${out}: ${(err as Error).message}`),
      );
    return saving;
  };
  server.on('close', () => {
    if (!stopping) void save('connection closed');
  });

  io.out(`wsmock record listening on ${server.url}${path}`);
  io.out(`passing through to ${values.upstream}, recording to ${out}`);

  await new Promise<void>((done) => {
    const shutdown = (signal: string) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      io.out(`${signal}: saving and shutting down`);
      stopping = true;
      // Saved before the clients are closed: their recorded close stays null, not the shutdown's 1001.
      void save(signal)
        .then(() => server.close())
        .then(done, done);
    };
    const onInt = () => shutdown('SIGINT');
    const onTerm = () => shutdown('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
  });
}

//
// `wsmock recording to-config FILE`: a recording (or a HAR file) as an
// editable YAML mock with a scenario, printed or written with --out.
//
import { writeFile } from 'node:fs/promises';
import { loadRecording } from '../record/load.js';
import { recordingToConfig } from '../record/toConfig.js';
import { CliError, intFlag, parse, UsageError } from './args.js';

export const RECORDING_USAGE = `Usage: wsmock recording to-config FILE [options]

Prints a recording (wsmock-recording/1, or a HAR file from Chrome DevTools or
Playwright) as a config file: one WebSocket mock whose scenario sends the
recorded server frames and expects the recorded client frames.

Options:
      --har               FILE must be a HAR file
      --url U             only the connections to U (a path, or a full URL for HAR files)
      --connection N      which connection (after --url), default 0
      --path P            the mock's path (default: the recorded URL's path)
      --id ID             the mock's id (default: replayed)
      --timing T          recorded (default), asap, or a speed such as 10
  -o, --out FILE          write the config here instead of printing it
  -h, --help`;

/** `wsmock recording …`. */
export async function recordingCommand(args: string[], out: (line: string) => void): Promise<void> {
  const [sub, ...rest] = args;
  if (sub !== 'to-config') {
    if (sub === undefined || sub === '-h' || sub === '--help') {
      out(RECORDING_USAGE);
      return;
    }
    throw new UsageError(`Unknown recording command "${sub}".`, RECORDING_USAGE);
  }
  const { values, positionals } = parse(
    rest,
    {
      har: { type: 'boolean' },
      url: { type: 'string' },
      connection: { type: 'string' },
      path: { type: 'string' },
      id: { type: 'string' },
      timing: { type: 'string' },
      out: { type: 'string', short: 'o' },
    },
    RECORDING_USAGE,
  );
  if (values.help) return out(RECORDING_USAGE);
  if (positionals.length !== 1) throw new UsageError('Give one recording FILE.', RECORDING_USAGE);
  const timing = values.timing === undefined || values.timing === 'recorded' || values.timing === 'asap' ? values.timing : Number(values.timing);
  if (typeof timing === 'number' && !(timing > 0)) throw new UsageError(`--timing must be recorded, asap or a speed above 0, got "${values.timing}".`, RECORDING_USAGE);
  const recording = loadRecording(positionals[0]!, { ...(values.url ? { url: values.url } : {}), ...(values.har ? { har: true } : {}) });
  const connection = intFlag(values.connection, 'connection', RECORDING_USAGE, 0, Number.MAX_SAFE_INTEGER) ?? 0;
  if (connection >= recording.connections.length) {
    throw new CliError(`--connection ${connection}: the recording has ${recording.connections.length} connection(s).`);
  }
  const yaml = recordingToConfig(recording, {
    connection,
    ...(values.path ? { path: values.path } : {}),
    ...(values.id ? { id: values.id } : {}),
    ...(timing === undefined ? {} : { timing: typeof timing === 'number' ? { speed: timing } : timing }),
  });
  if (values.out) {
    await writeFile(values.out, yaml);
    out(`wrote ${values.out}`);
  } else out(yaml.trimEnd());
}

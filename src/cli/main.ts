#!/usr/bin/env node
import { WsMockError } from '../errors.js';
import { CliError, UsageError } from './args.js';
import { connectionsCommand, mocksCommand, statsCommand } from './adminCommands.js';
import { listenCommand, sendCommand } from './clientTools.js';
import { serveCommand } from './serve.js';
import { recordingCommand } from './recordingCommands.js';
import { recordCommand } from './recordCommand.js';
import { asyncapiCommand } from './asyncapiCommands.js';

declare const __WSMOCK_VERSION__: string;

const USAGE = `Usage: wsmock <command> [options]

Commands:
  serve                       run a mock server from config files (or
                              AsyncAPI contracts: --asyncapi FILE)
  connections list|get|close|send
                              manage connections of a running server (admin API)
  mocks list|get|add|remove   manage mocks of a running server (admin API)
  stats                       connection and message counts (admin API)
  send URL MESSAGE            send one message and print the replies
  listen URL                  print incoming messages
  record --upstream URL --out FILE
                              pass clients through to URL, recording what passes
  recording to-config FILE    a recording or HAR file as an editable YAML mock
  asyncapi to-config FILE     the mocks an AsyncAPI contract makes, as editable YAML

Run \`wsmock <command> --help\` for a command's options.
Options: -h, --help   -v, --version`;

const out = (line: string) => process.stdout.write(`${line}\n`);
const err = (line: string) => process.stderr.write(`${line}\n`);

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      out(USAGE);
      return command === undefined ? 2 : 0;
    case '-v':
    case '--version':
      out(__WSMOCK_VERSION__);
      return 0;
    case 'serve':
      await serveCommand(rest, { out, err });
      return 0;
    case 'connections':
      await connectionsCommand(rest, out);
      return 0;
    case 'mocks':
      await mocksCommand(rest, out);
      return 0;
    case 'stats':
      await statsCommand(rest, out);
      return 0;
    case 'send':
      await sendCommand(rest, out);
      return 0;
    case 'listen':
      await listenCommand(rest, out, err);
      return 0;
    case 'record':
      await recordCommand(rest, { out, err });
      return 0;
    case 'recording':
      await recordingCommand(rest, out);
      return 0;
    case 'asyncapi':
      await asyncapiCommand(rest, out);
      return 0;
    default:
      throw new UsageError(`Unknown command "${command}".`, USAGE);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      err(`wsmock: ${error.message}\n\n${error.usage}`);
      process.exitCode = 2;
    } else if (error instanceof CliError || error instanceof WsMockError) {
      err(`wsmock: ${error.message}`);
      process.exitCode = 1;
    } else {
      err(`wsmock: unexpected error: ${(error as Error)?.stack ?? String(error)}`);
      process.exitCode = 1;
    }
  },
);

import { execFile } from 'node:child_process';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { packIntoConsumer, root } from './helpers/pack.js';

// wsmock in the environments frontend suites run in: the packed package in a
// consumer project, run by the real runners with their DOM environments, each
// in its own process. The fixtures' own tests connect real DOM WebSocket
// clients (jsdom's, happy-dom's) or `ws` to the server.
const run = promisify(execFile);
let consumer: string;

beforeAll(() => {
  consumer = packIntoConsumer('frontend');
  cpSync(join(root, 'test', 'fixtures', 'frontend'), consumer, { recursive: true });
}, 120_000);

interface JsonReport {
  numPassedTests: number;
  numFailedTests: number;
  testResults: { assertionResults: { title: string; status: string; failureMessages: string[] }[] }[];
}

/** Runs a runner with a JSON reporter writing to `file`; returns the parsed report, whatever the exit code. */
async function runReport(args: string[], file: string): Promise<JsonReport> {
  await run(process.execPath, args, { cwd: consumer, timeout: 60_000 }).catch(() => undefined);
  return JSON.parse(readFileSync(join(consumer, file), 'utf8')) as JsonReport;
}

function results(report: JsonReport) {
  return report.testResults.flatMap((file) => file.assertionResults.map((t) => [t.title, t.status, t.failureMessages.join('\n')]));
}

describe('frontend test environments', () => {
  it("Jest's jsdom environment loads wsmock with no options, and jsdom's WebSocket reaches it", async () => {
    const jest = join(root, 'node_modules', 'jest', 'bin', 'jest.js');
    const report = await runReport([jest, '--config', 'jest.config.cjs', '--json', '--outputFile', 'jest-report.json'], 'jest-report.json');
    expect(results(report)).toEqual([
      ['the test runs in jsdom, and require("wsmock") loads the Node server', 'passed', ''],
      ["jsdom's WebSocket talks to a mock: echo, matchers, and the server's waits", 'passed', ''],
      ['bytes made in the test realm go out as binary frames, both ways', 'passed', ''],
      ['RegExp matchers and expectations, and errors thrown by a respond function', 'passed', ''],
      ['closes carry their codes both ways', 'passed', ''],
    ]);
  }, 90_000);

  it("Vitest's happy-dom and jsdom environments load wsmock; happy-dom's WebSocket and ws reach it", async () => {
    const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
    const report = await runReport([vitest, 'run', '--reporter=json', '--outputFile=vitest-report.json'], 'vitest-report.json');
    expect(results(report).sort()).toEqual(
      [
        ['the test runs in happy-dom', 'passed', ''],
        ["happy-dom's WebSocket talks to a mock: matchers, pushes and the server's waits", 'passed', ''],
        ['closes carry their codes both ways', 'passed', ''],
        ['the test runs in jsdom', 'passed', ''],
        ['a Node client talks to a mock; waits, timeouts and matchers work in jsdom', 'passed', ''],
      ].sort(),
    );
  }, 90_000);
});

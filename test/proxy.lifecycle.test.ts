//
// Every upstream socket belongs to the server: reset() and close() close them
// (also one whose handshake is still held), and nothing is left behind.
//
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { useUpstream } from './helpers/upstream.js';

const upstream = useUpstream();

describe('proxy lifecycle', () => {
  it('reset() and close() close every upstream socket; the process exits by itself with no socket or timer left', async () => {
    const script = fileURLToPath(new URL('./fixtures/proxy-handles.ts', import.meta.url));
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      // The timeout only guards against a hang: a child that does not exit is killed and fails below.
      const child = execFile(process.execPath, ['--import', 'tsx', script, upstream.url], { timeout: 60_000 }, (_err, out, err) =>
        resolve({ code: child.exitCode, stdout: out, stderr: err }),
      );
    });
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as { closedByReset: boolean[]; closedByClose: boolean[]; counts: Record<string, number> };
    expect(result.closedByReset).toEqual(Array(10).fill(true));
    expect(result.closedByClose).toEqual(Array(10).fill(true));
    expect(result.counts.TCPSocketWrap ?? 0).toBe(0);
    expect(result.counts.TCPServerWrap ?? 0).toBe(1); // the fixture's own silent upstream, closed after the count
    expect(result.counts.Timeout ?? 0).toBe(0);
  });
});

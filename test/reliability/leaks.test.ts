//
// Leaks: 2,000 create/connect/echo/close cycles in a child process run with
// --expose-gc. After a forced GC the heap may grow by at most HEAP_BOUND over
// the cycles that follow the warm-up, the active handles must not grow at all,
// and the child must end by itself (nothing in it calls process.exit).
//
// Measured on the 2-core CI machine: heap +1.4 MB over 1,800 cycles (about
// 800 bytes a cycle: JIT code and caches, not servers), 1 active handle before
// and after. One leaked server, socket or journal per cycle would be tens of
// megabytes; one leaked timer or socket would show in the handle count.
//
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const CYCLES = 2_000;
const HEAP_BOUND = 8 * 1024 * 1024;

interface Sample {
  heapUsed: number;
  handles: number;
  counts: Record<string, number>;
}

describe('leaks', () => {
  it(`${CYCLES} create/connect/close cycles keep heap and handles bounded, and the process exits by itself`, async () => {
    const script = fileURLToPath(new URL('./fixtures/leakCycles.ts', import.meta.url));
    const { code, signal, stdout, stderr } = await new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>((resolve) => {
      // The timeout only guards against a hang: a child that does not exit is killed and fails below.
      const child = execFile(process.execPath, ['--expose-gc', '--import', 'tsx', script, String(CYCLES)], { timeout: 150_000 }, (_err, stdout, stderr) =>
        resolve({ code: child.exitCode, signal: child.signalCode, stdout, stderr }),
      );
    });
    expect({ code, signal, stderr }).toEqual({ code: 0, signal: null, stderr: '' });
    const { cycles, before, after } = JSON.parse(stdout.trim().split('\n').at(-1)!) as { cycles: number; before: Sample; after: Sample };
    expect(cycles).toBe(CYCLES);
    expect(after.handles, JSON.stringify({ before: before.counts, after: after.counts })).toBeLessThanOrEqual(before.handles);
    expect(after.counts.TCPSocketWrap ?? 0).toBe(0);
    expect(after.counts.Timeout ?? 0).toBe(0);
    expect(after.heapUsed - before.heapUsed, `heap ${before.heapUsed} → ${after.heapUsed}`).toBeLessThan(HEAP_BOUND);
  });
});

//
// React's act(), taken from @testing-library/react when the project has it, as
// jest-websocket-mock does: state updates that a WebSocket event causes in a
// component then happen inside act(), with no warning. Without it, a plain call.
//
import { createRequire } from 'node:module';
import { join } from 'node:path';

type AsyncAct = (callback: () => Promise<void>) => Promise<unknown>;

function findAct(): AsyncAct | undefined {
  // The CommonJS build under Jest: Jest's own require, so act comes from the
  // same React the test renders with. The ESM build: resolved from the project.
  const load = typeof require === 'function' ? require : createRequire(join(process.cwd(), 'package.json'));
  try {
    const act = (load('@testing-library/react') as { act?: unknown }).act;
    return typeof act === 'function' ? (act as AsyncAct) : undefined;
  } catch {
    return undefined;
  }
}

let act: AsyncAct | null | undefined;

/** Runs `work` inside React's act() when @testing-library/react is installed. */
export async function inAct<T>(work: () => Promise<T>): Promise<T> {
  if (act === undefined) act = findAct() ?? null;
  if (act === null) return work();
  let result!: T;
  await act(async () => {
    result = await work();
  });
  return result;
}

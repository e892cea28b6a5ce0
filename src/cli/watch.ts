import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import { realClearTimeout, realSetTimeout } from '../util/clock.js';

/**
 * Calls `onChange` once after a burst of changes to any of `files`. Watches
 * the directories rather than the files, so editors that save by replacing
 * the file (rename over it) are seen too.
 */
export function watchFiles(files: readonly string[], onChange: () => void, settleMs = 100): () => void {
  const byDir = new Map<string, Set<string>>();
  for (const file of files) {
    const names = byDir.get(dirname(file)) ?? new Set<string>();
    names.add(basename(file));
    byDir.set(dirname(file), names);
  }
  let timer: NodeJS.Timeout | undefined;
  const watchers: FSWatcher[] = [];
  for (const [dir, names] of byDir) {
    watchers.push(
      watch(dir, (_event, name) => {
        if (name !== null && !names.has(name.toString())) return;
        if (timer) realClearTimeout(timer);
        timer = realSetTimeout(onChange, settleMs);
      }),
    );
  }
  return () => {
    if (timer) realClearTimeout(timer);
    for (const w of watchers) w.close();
  };
}

// How values read on the page.

export function clock(iso: string | number | Date): string {
  const d = new Date(iso);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

export function age(fromIso: string, now: number): string {
  const s = Math.max(0, Math.floor((now - Date.parse(fromIso)) / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor(s / 60) % 60).padStart(2, '0')}m`;
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

export function count(n: number): string {
  return n.toLocaleString('en');
}

/** Base64 bytes as hex pairs, 16 to a line. */
export function hex(base64: string): string {
  const raw = atob(base64);
  const lines: string[] = [];
  for (let i = 0; i < raw.length; i += 16) {
    const pairs: string[] = [];
    for (let j = i; j < Math.min(i + 16, raw.length); j++) pairs.push(raw.charCodeAt(j).toString(16).padStart(2, '0'));
    lines.push(pairs.join(' '));
  }
  return lines.join('\n');
}

/** JSON text on one line (re-serialised without spaces); anything else as it is. */
export function compactText(text: string): string {
  if (/^\s*[[{]/.test(text)) {
    try {
      return JSON.stringify(JSON.parse(text));
    } catch {
      // Not JSON after all.
    }
  }
  return text;
}

/** Base64 bytes as hex pairs on one line. */
export function hexLine(base64: string): string {
  return hex(base64).replaceAll('\n', ' ');
}

/** JSON text pretty-printed; anything else as it is. */
export function pretty(text: string): { text: string; json: boolean } {
  if (/^\s*[[{]/.test(text)) {
    try {
      return { text: JSON.stringify(JSON.parse(text), null, 2), json: true };
    } catch {
      // Not JSON after all.
    }
  }
  return { text, json: false };
}

/** The path of a mock envelope of any type (its fields live under the key named by its type). */
export function mockPath(mock: { type: string } & Record<string, any>): string {
  return mock[mock.type]?.path ?? '';
}

//
// JSON pointers (what `$ref`s and ajv speak) and JSON paths (what wsmock
// shows: `$.channels['/ping'].messages[0]`), and the conversion between them.
//

/** The segments of a JSON pointer (`/a/b~1c/0` → `['a', 'b/c', '0']`); `''` or `'/'`-less `#` is the root. */
export function pointerSegments(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return pointer === '/' ? [''] : [];
  return pointer
    .replace(/^\//, '')
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** A JSON pointer from segments (`['a', 'b/c']` → `/a/b~1c`). */
export function toPointer(segments: readonly (string | number)[]): string {
  return segments.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const INDEX = /^(0|[1-9]\d*)$/;

/** A JSON path from segments: `$`, `$.reqid`, `$.pair[0]`, `$.channels['/v1/{symbol}']`; digit-only segments read as indexes. */
export function jsonPath(segments: readonly (string | number)[]): string {
  let out = '$';
  for (const segment of segments) {
    const s = String(segment);
    if (typeof segment === 'number' || INDEX.test(s)) out += `[${s}]`;
    else if (IDENTIFIER.test(s)) out += `.${s}`;
    else out += `['${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;
  }
  return out;
}

/** The JSON path of a JSON pointer (`/a/0` → `$.a[0]`). */
export function pointerToPath(pointer: string): string {
  return jsonPath(pointerSegments(pointer));
}

//
// Where a field is in a YAML (or JSON) file, for errors that name the line.
//
import { isMap, isScalar, isSeq, type Document, type LineCounter } from 'yaml';

/**
 * The 1-based line and column of the field at `segments` (map keys, sequence
 * indexes as numbers) in a parsed document: its key, or the nearest existing
 * parent's when it is missing; empty when the document has no positions.
 */
export function position(doc: Document.Parsed, counter: LineCounter, segments: readonly PropertyKey[]): { line?: number; column?: number } {
  const at = (offset: number) => {
    const { line, col } = counter.linePos(offset);
    return { line, column: col };
  };
  // Point at the key of the offending field when it has one; an unknown or
  // missing key points at its parent. Walk up until a node exists.
  for (let depth = segments.length; depth > 0; depth--) {
    const parent = doc.getIn(segments.slice(0, depth - 1) as (string | number)[], true);
    const key = segments[depth - 1];
    if (isMap(parent)) {
      const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === key);
      if (pair && isScalar(pair.key) && pair.key.range) return at(pair.key.range[0]);
    } else if (isSeq(parent) && typeof key === 'number') {
      const item = parent.items[key] as { range?: [number, number, number] } | undefined;
      if (item?.range) return at(item.range[0]);
    }
  }
  return doc.contents?.range ? at(doc.contents.range[0]) : {};
}

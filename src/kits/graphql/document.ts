//
// Just enough of a GraphQL document to name an operation: the kind
// (query, mutation, subscription) and name of each top-level operation.
// graphql itself is not a runtime dependency; the mock never executes a
// document, it only needs to tell `subscription OnPrice` from `query GetUser`.
//

/** What an operation is, from its document. */
export type OperationType = 'query' | 'mutation' | 'subscription';

/** A top-level operation definition of a document. */
interface Definition {
  type: OperationType;
  name: string | undefined;
}

const NAME = /[_A-Za-z][_0-9A-Za-z]*/y;

/** The top-level operation definitions, in order; fragments and nested selections are skipped. */
function definitions(query: string): Definition[] {
  const found: Definition[] = [];
  let depth = 0;
  // A definition keyword seen at the top whose selection set has not opened yet.
  let pending = false;
  let i = 0;
  while (i < query.length) {
    const ch = query[i]!;
    if (ch === '#') {
      const end = query.indexOf('\n', i);
      i = end === -1 ? query.length : end + 1;
    } else if (ch === '"') {
      // Strings (and block strings) may hold braces and keywords.
      const block = query.startsWith('"""', i);
      const close = block ? query.indexOf('"""', i + 3) : stringEnd(query, i + 1);
      i = close === -1 ? query.length : close + (block ? 3 : 1);
    } else if (ch === '{' || ch === '(' || ch === '[') {
      if (depth === 0 && ch === '{') {
        // A selection set with no keyword before it is the query shorthand.
        if (!pending) found.push({ type: 'query', name: undefined });
        pending = false;
      }
      depth++;
      i++;
    } else if (ch === '}' || ch === ')' || ch === ']') {
      depth = Math.max(0, depth - 1);
      i++;
    } else if (depth === 0 && /[_A-Za-z]/.test(ch)) {
      NAME.lastIndex = i;
      const word = NAME.exec(query)![0];
      i += word.length;
      if (word === 'fragment') pending = true;
      if (word === 'query' || word === 'mutation' || word === 'subscription') {
        const rest = /^\s*([_A-Za-z][_0-9A-Za-z]*)?/.exec(query.slice(i, i + 200))!;
        found.push({ type: word, name: rest[1] });
        pending = true;
        i += rest[0].length;
      }
    } else {
      i++;
    }
  }
  return found;
}

function stringEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"' || text[i] === '\n') return i;
  }
  return -1;
}

/**
 * The type and name of the operation a request runs: the one named
 * `operationName`, else the document's only operation. An unreadable document
 * counts as an anonymous query, the shorthand `{ … }` form.
 */
export function describeOperation(query: string, operationName: string | null | undefined): { type: OperationType; name: string | undefined } {
  const defs = definitions(query);
  const chosen = operationName ? defs.find((d) => d.name === operationName) : defs.length === 1 ? defs[0] : undefined;
  return { type: chosen?.type ?? defs[0]?.type ?? 'query', name: operationName || chosen?.name };
}

//
// A string that matches a JSON Schema `pattern`, for the payload generator.
// It reads the part of regular expressions that contracts use for ids, pairs
// and codes (`^[A-Z]{3}/[A-Z]{3}$`, `[A-Z\s]+\/[A-Z\s]+`, `\d{4}-\d{2}`,
// `(buy|sell)`): literals, escapes, classes and ranges, groups with `|`,
// quantifiers and anchors. Anything else (lookarounds, back-references) gives
// undefined, and the generator's check names the pattern it could not fit.
//

/** Draws integers: `int(min, max)`, both included. */
type Draw = (min: number, max: number) => number;

type Node =
  | { readonly kind: 'chars'; readonly set: readonly string[] }
  | { readonly kind: 'alt'; readonly branches: readonly (readonly Node[])[] }
  | { readonly kind: 'repeat'; readonly node: Node; readonly min: number; readonly max: number };

class Unsupported extends Error {}

const PRINTABLE = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i));
const DIGITS = [...'0123456789'];
const WORD = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_'];
// Quantifiers without an upper bound repeat at most this many times more than their minimum.
const SPREAD = 3;

function escapeSet(c: string): readonly string[] {
  switch (c) {
    case 'd':
      return DIGITS;
    case 'w':
      return WORD;
    case 's':
      return [' '];
    case 'D':
      return PRINTABLE.filter((x) => !DIGITS.includes(x));
    case 'W':
      return PRINTABLE.filter((x) => !WORD.includes(x));
    case 'S':
      return PRINTABLE.filter((x) => x !== ' ');
    case 'n':
      return ['\n'];
    case 't':
      return ['\t'];
    case 'r':
      return ['\r'];
    case 'b':
    case 'B':
    case '1':
    case '2':
    case '3':
    case 'k':
    case 'p':
    case 'P':
    case 'u':
    case 'x':
      throw new Unsupported();
    default:
      return [c];
  }
}

class Parser {
  #at = 0;
  readonly #source: string;

  constructor(source: string) {
    this.#source = source;
  }

  parse(): Node {
    const node = this.#alternation();
    if (this.#at < this.#source.length) throw new Unsupported();
    return node;
  }

  #peek(): string | undefined {
    return this.#source[this.#at];
  }

  #alternation(): Node {
    const branches: Node[][] = [this.#sequence()];
    while (this.#peek() === '|') {
      this.#at++;
      branches.push(this.#sequence());
    }
    return { kind: 'alt', branches };
  }

  #sequence(): Node[] {
    const items: Node[] = [];
    for (let c = this.#peek(); c !== undefined && c !== '|' && c !== ')'; c = this.#peek()) {
      const atom = this.#atom();
      if (atom !== undefined) items.push(this.#quantified(atom));
    }
    return items;
  }

  #atom(): Node | undefined {
    const c = this.#source[this.#at++]!;
    switch (c) {
      case '^':
      case '$':
        return undefined;
      case '.':
        return { kind: 'chars', set: PRINTABLE };
      case '\\':
        return { kind: 'chars', set: escapeSet(this.#source[this.#at++] ?? '\\') };
      case '[':
        return this.#class();
      case '(': {
        if (this.#peek() === '?') {
          if (this.#source[this.#at + 1] !== ':') throw new Unsupported();
          this.#at += 2;
        }
        const inner = this.#alternation();
        if (this.#source[this.#at++] !== ')') throw new Unsupported();
        return inner;
      }
      case '*':
      case '+':
      case '?':
      case '{':
        throw new Unsupported();
      default:
        return { kind: 'chars', set: [c] };
    }
  }

  #class(): Node {
    const negated = this.#peek() === '^';
    if (negated) this.#at++;
    const set = new Set<string>();
    let first = true;
    for (let c = this.#source[this.#at++]; c !== ']' || first; c = this.#source[this.#at++]) {
      first = false;
      if (c === undefined) throw new Unsupported();
      let chars: readonly string[] = c === '\\' ? escapeSet(this.#source[this.#at++] ?? '\\') : [c];
      if (chars.length === 1 && this.#peek() === '-' && this.#source[this.#at + 1] !== ']' && this.#source[this.#at + 1] !== undefined) {
        this.#at++;
        let end = this.#source[this.#at++]!;
        if (end === '\\') end = this.#source[this.#at++] ?? '\\';
        const from = chars[0]!.charCodeAt(0);
        const to = end.charCodeAt(0);
        if (to < from) throw new Unsupported();
        chars = Array.from({ length: to - from + 1 }, (_, i) => String.fromCharCode(from + i));
      }
      for (const x of chars) set.add(x);
    }
    const chosen = negated ? PRINTABLE.filter((x) => !set.has(x)) : [...set];
    if (chosen.length === 0) throw new Unsupported();
    return { kind: 'chars', set: chosen };
  }

  #quantified(node: Node): Node {
    const c = this.#peek();
    let min: number;
    let max: number;
    if (c === '*' || c === '+' || c === '?') {
      this.#at++;
      min = c === '+' ? 1 : 0;
      max = c === '?' ? 1 : min + SPREAD;
    } else if (c === '{') {
      const match = /^\{(\d+)(,(\d*))?\}/.exec(this.#source.slice(this.#at));
      if (match === null) return node;
      this.#at += match[0].length;
      min = Number(match[1]);
      max = match[2] === undefined ? min : match[3] === '' ? min + SPREAD : Number(match[3]);
    } else {
      return node;
    }
    if (this.#peek() === '?') this.#at++;
    return { kind: 'repeat', node, min, max };
  }
}

function emit(node: Node, draw: Draw): string {
  switch (node.kind) {
    case 'chars':
      return node.set[draw(0, node.set.length - 1)]!;
    case 'alt':
      return node.branches[draw(0, node.branches.length - 1)]!.map((n) => emit(n, draw)).join('');
    case 'repeat': {
      let out = '';
      for (let i = draw(node.min, node.max); i > 0; i--) out += emit(node.node, draw);
      return out;
    }
  }
}

/** A string matching `pattern`, drawn with `draw`; undefined when the pattern uses what this does not read. */
export function sampleFromPattern(pattern: string, draw: Draw): string | undefined {
  try {
    return emit(new Parser(pattern).parse(), draw);
  } catch (err) {
    if (err instanceof Unsupported) return undefined;
    throw err;
  }
}

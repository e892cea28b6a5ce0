//
// Transcripts: a connection's conversation as stable text, one line per
// frame, for `toMatchSnapshot()` / `toMatchInlineSnapshot()` instead of an
// assertion per frame. What changes from run to run is taken out: JSON keys
// are sorted, JSON paths the test names are redacted, and UUIDs and ISO times
// become placeholders. The text is built from the public journal
// (`conn.messages`) and `conn.closeInfo` alone.
//
import { createHash } from 'node:crypto';
import { checkJsonPath } from '../behaviour/match.js';
import { compileReplace } from '../behaviour/jsonPath.js';
import { invalidArgument } from '../errors.js';
import { unknownOption } from '../util/argument.js';
import { canonicalJson } from '../util/canonicalJson.js';
import type { Message } from './Message.js';
import type { CloseInfo } from './types.js';

/** Options of `conn.transcript()` and `mock.transcript()`. */
export interface TranscriptOptions {
  /**
   * JSONPaths (`'$.ts'`, `'$..id'`, `'$.items[*].price'`) whose values, in
   * every JSON frame, are written as the path in angle brackets
   * (`"ts":"<$.ts>"`). Throws `WSMOCK_ERR_INVALID_ARGUMENT` naming the path
   * that is not a JSONPath.
   */
  redact?: readonly string[];
  /** `in`: only what the client sent; `out`: only what the server sent; `both` (default): the whole conversation. */
  direction?: 'in' | 'out' | 'both';
  /**
   * Whether UUIDs become numbered placeholders (`<uuid-1>`; the same UUID
   * is the same number throughout one transcript) and ISO 8601 times
   * become `<time>`, wherever they appear in a string. Default true.
   */
  placeholders?: boolean;
}

/** What a transcript reads of a connection: its public journal, how it closed, and its URL. */
export interface TranscriptSource {
  /** The journal, both directions, in order. */
  readonly messages: readonly Message[];
  /** How it closed, once it has. */
  readonly closeInfo: CloseInfo | undefined;
  /** The requested path with its query string. */
  readonly url: string;
}

const ARROWS = { in: '→', out: '←' } as const;
const CLOSE = '×';
const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
// A date and a time, with optional fractions and zone: what `{{now}}` and `toISOString()` write.
const ISO_TIME = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?\b/g;

// A binary frame up to this many bytes is written as hex; a longer one as its SHA-256.
const MAX_HEX_BYTES = 1024;
// Redaction (structuredClone, jsonpath-plus) recurses once per level of a frame, and a client's
// frame can nest deeper than the call stack goes: past this depth the frame is written unredacted.
const MAX_REDACT_DEPTH = 500;

/** Whether `value` nests arrays and objects more than `limit` levels deep (counted without recursion). */
function deeperThan(value: unknown, limit: number): boolean {
  const todo: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  while (todo.length > 0) {
    const { value: current, depth } = todo.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    if (depth >= limit) return true;
    for (const member of Object.values(current)) todo.push({ value: member, depth: depth + 1 });
  }
  return false;
}

/** The checked options and the placeholders one transcript has handed out so far. */
class Transcriber {
  readonly #redact: { path: string; replace: (root: unknown, replacement: unknown) => unknown }[];
  readonly #direction: 'in' | 'out' | 'both';
  readonly #placeholders: boolean;
  readonly #uuids = new Map<string, number>();

  constructor(options: TranscriptOptions) {
    const checked = checkOptions(options);
    this.#redact = checked.redact.map((path) => ({ path, replace: compileReplace(path) }));
    this.#direction = checked.direction;
    this.#placeholders = checked.placeholders;
  }

  /** The lines of one connection: a line per frame of the chosen direction, then the close. */
  lines(source: TranscriptSource): string[] {
    const lines: string[] = [];
    for (const message of source.messages) {
      // A proxy's upstream leg is not part of the client's conversation.
      if (message.direction !== 'in' && message.direction !== 'out') continue;
      if (this.#direction !== 'both' && message.direction !== this.#direction) continue;
      lines.push(`${ARROWS[message.direction]} ${this.#frame(message)}`);
    }
    const close = source.closeInfo;
    if (close) lines.push(`${CLOSE} close ${close.code} ${JSON.stringify(this.text(close.reason))} by ${close.by}`);
    return lines;
  }

  /** `text` with UUIDs and ISO times replaced, when placeholders are on. */
  text(text: string): string {
    if (!this.#placeholders) return text;
    return text
      .replace(UUID, (uuid) => {
        const key = uuid.toLowerCase();
        let n = this.#uuids.get(key);
        if (n === undefined) this.#uuids.set(key, (n = this.#uuids.size + 1));
        return `<uuid-${n}>`;
      })
      .replace(ISO_TIME, '<time>');
  }

  #frame(message: Message): string {
    if (message.binary) {
      const bytes = typeof message.data === 'string' ? Buffer.from(message.data) : message.data;
      // Past a bound, the hex of a frame would swamp the snapshot (and a few large
      // frames the largest string V8 makes); its digest still tells any two apart.
      if (bytes.length > MAX_HEX_BYTES) return `binary ${bytes.length} bytes sha256 ${createHash('sha256').update(bytes).digest('hex')}`;
      return `binary ${bytes.length} bytes ${bytes.toString('hex')}`.trimEnd();
    }
    const json = message.json;
    // Text that is no JSON is quoted, so it never reads as JSON: `text "hello"` is not `"hello"`.
    if (json === undefined) return `text ${JSON.stringify(this.text(message.text ?? ''))}`;
    const write = (value: unknown) => canonicalJson(value, (text) => this.text(text));
    if (this.#redact.length > 0 && deeperThan(json, MAX_REDACT_DEPTH)) return `json nested deeper than ${MAX_REDACT_DEPTH} levels, not redacted: ${write(json)}`;
    return write(this.#redacted(json));
  }

  #redacted(json: unknown): unknown {
    if (this.#redact.length === 0) return json;
    // The journal's parsed frame may be shared with other readers: redact a copy.
    let copy = structuredClone(json);
    for (const { path, replace } of this.#redact) copy = replace(copy, `<${path}>`);
    return copy;
  }
}

const OPTION_KEYS: readonly string[] = ['redact', 'direction', 'placeholders'];

function checkOptions(options: unknown): Required<TranscriptOptions> {
  if (options === undefined) return { redact: [], direction: 'both', placeholders: true };
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw invalidArgument(`transcript options must be an object, got ${show(options)}`);
  }
  // A misspelt option would be ignored, and the snapshot keep what the test meant to take out.
  const unknown = unknownOption(options, OPTION_KEYS);
  if (unknown !== undefined) throw invalidArgument(`transcript options: ${unknown} is not an option (options: ${OPTION_KEYS.join(', ')})`);
  const { redact = [], direction = 'both', placeholders = true } = options as Record<string, unknown>;
  if (!Array.isArray(redact)) throw invalidArgument(`redact must be an array of JSONPaths, got ${show(redact)}`);
  redact.forEach((path: unknown, i) => {
    if (typeof path !== 'string') throw invalidArgument(`redact[${i}] must be a JSONPath string, got ${show(path)}`);
    const problem = checkJsonPath(path);
    if (problem !== undefined) throw invalidArgument(`redact[${i}] ${problem}, got ${JSON.stringify(path)}`);
  });
  if (direction !== 'in' && direction !== 'out' && direction !== 'both') {
    throw invalidArgument(`direction must be "in", "out" or "both", got ${show(direction)}`);
  }
  if (typeof placeholders !== 'boolean') throw invalidArgument(`placeholders must be a boolean, got ${show(placeholders)}`);
  return { redact: redact as string[], direction, placeholders };
}

function show(value: unknown): string {
  return Array.isArray(value) ? 'an array' : (JSON.stringify(value) ?? String(value));
}

/**
 * One connection's transcript (`conn.transcript()`): a line per frame, `→`
 * for what the client sent and `←` for what the server sent, then
 * `× close CODE "REASON" by WHO` once it has closed. Throws
 * `WSMOCK_ERR_INVALID_ARGUMENT` naming a bad option.
 */
export function transcriptOf(source: TranscriptSource, options?: TranscriptOptions): string {
  return new Transcriber(options as TranscriptOptions).lines(source).join('\n');
}

/**
 * The transcript of many connections (`mock.transcript()`), in the order
 * given (their arrival): each headed by `connection N /path` (N counts from 1
 * in that order; the path without its query), its lines indented by two
 * spaces. Placeholders are numbered across the whole text.
 */
export function transcriptOfAll(sources: readonly TranscriptSource[], options?: TranscriptOptions): string {
  const transcriber = new Transcriber(options as TranscriptOptions);
  return sources
    .flatMap((source, i) => {
      const path = new URL(source.url, 'http://localhost').pathname;
      return [`connection ${i + 1} ${transcriber.text(path)}`, ...transcriber.lines(source).map((line) => `  ${line}`)];
    })
    .join('\n');
}

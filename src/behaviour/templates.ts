//
// Response templating: mustache without HTML escaping, over the variables of
// SPEC §3. A template is parsed once, when the mock is compiled; rendering a
// frame only walks the parsed tokens. Strings without "{{" never reach
// mustache at all.
//
import { randomUUID } from 'node:crypto';
import Mustache from 'mustache';
import type { Connection } from '../connections/Connection.js';
import type { Message } from '../connections/Message.js';

/** What a response is rendered against. */
export interface TemplateScope {
  /** The connection the response goes to. */
  readonly connection: Connection;
  /** The frame that triggered it (for a scenario, the last frame a wait step consumed). */
  readonly message: Message | undefined;
  /** Open connections on the mock. */
  readonly connectionCount: () => number;
  /** 1 for the first response the mock sends on this connection, then 2, 3… */
  readonly sequence: number;
  /** Draws `{{uuid}}` from the server's seeded random (the connection's stream); unseeded when absent. */
  readonly uuid?: () => string;
}

/** A parsed text template. `constant` when the source has no tags. */
export interface Template {
  readonly constant: boolean;
  render(context: RenderContext): string;
}

/** How a looked-up value becomes text: objects and arrays as JSON, nothing as "". */
function format(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return JSON.stringify(value) ?? '';
  return String(value);
}

/**
 * Mustache's writer with the HTML escaping taken out: `{{x}}` and `{{{x}}}`
 * both insert the value as text. Its own template cache is off, because
 * compiled mocks hold their parsed tokens themselves (a long-running server
 * that adds and removes mocks would otherwise grow the cache for ever).
 */
class TemplateWriter extends Mustache.Writer {
  constructor() {
    super();
    (this as unknown as { templateCache: unknown }).templateCache = undefined;
  }

  override escapedValue(token: string[], context: Mustache.Context): string {
    return format(context.lookup(token[1]!));
  }

  override unescapedValue(token: string[], context: Mustache.Context): string {
    return format(context.lookup(token[1]!));
  }
}

const writer = new TemplateWriter();

function walk(root: unknown, path: readonly string[], from = 0): unknown {
  let node = root;
  for (let i = from; i < path.length; i++) {
    const key = path[i]!;
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function messageText(message: Message | undefined): string | undefined {
  if (!message) return undefined;
  return message.text ?? (message.data as Buffer).toString('utf8');
}

/** Variables that change from one read to the next: read once per response so they agree within it. */
const VOLATILE = new Set(['now', 'timestamp', 'timestampMs', 'uuid']);

/**
 * What one response renders against. Values are computed on first use; the
 * time and `{{uuid}}` are then kept for the rest of the response, so
 * `{{uuid}}` twice in one JSON response is the same id, and a response that
 * uses no variable costs nothing.
 *
 * `{{message}}` is the frame's text while `{{message.a}}` reads its JSON, a
 * distinction mustache's own lookup cannot make, so names are resolved here.
 * Templates with sections render through {@link RenderContext.mustache}.
 */
export class RenderContext {
  readonly #scope: TemplateScope;
  #volatile: Map<string, unknown> | undefined;
  #mustache: Mustache.Context | undefined;

  constructor(scope: TemplateScope) {
    this.#scope = scope;
  }

  /** Resolves a variable given as its dotted path, split. */
  resolve(path: readonly string[]): unknown {
    const head = path[0]!;
    const message = this.#scope.message;
    switch (head) {
      case 'message':
        return path.length === 1 ? messageText(message) : walk(message?.json, path, 1);
      case 'request':
        // Aliases for configs written for another mock server.
        if (path[1] === 'rawBody' && path.length === 2) return messageText(message);
        if (path[1] === 'body') return path.length === 2 ? messageText(message) : walk(message?.json, path, 2);
        return undefined;
      case 'connection': {
        const { connection } = this.#scope;
        const field = path[1];
        if (field === 'id' || field === 'path') return path.length === 2 ? connection[field] : undefined;
        if (field === 'params' || field === 'query' || field === 'data') return walk(connection[field], path, 2);
        return path.length === 1 ? connectionView(connection) : undefined;
      }
      case 'connectionCount':
        return path.length === 1 ? this.#scope.connectionCount() : undefined;
      case 'sequence':
        return path.length === 1 ? this.#scope.sequence : undefined;
      case '.':
        return this.mustache().view;
      default:
        if (path.length !== 1 || !VOLATILE.has(head)) return undefined;
        this.#volatile ??= new Map();
        if (!this.#volatile.has(head)) this.#volatile.set(head, volatileValue(head, this.#scope));
        return this.#volatile.get(head);
    }
  }

  /**
   * A mustache context over this one, for templates with sections. Inside a
   * section mustache walks plain `view` objects itself; this view mirrors the
   * variables (its `message` is the JSON, to iterate over).
   */
  mustache(): Mustache.Context {
    this.#mustache ??= new SectionContext(this, this.#view());
    return this.#mustache;
  }

  #view(): Record<string, unknown> {
    const scope = this.#scope;
    const view: Record<string, unknown> = { connection: connectionView(scope.connection) };
    for (const name of ['now', 'timestamp', 'timestampMs', 'uuid', 'connectionCount', 'sequence']) {
      Object.defineProperty(view, name, { get: () => this.resolve([name]), enumerable: true });
    }
    Object.defineProperty(view, 'message', {
      get: () => {
        const json = scope.message?.json;
        return typeof json === 'object' && json !== null ? json : messageText(scope.message);
      },
      enumerable: true,
    });
    view.request = {
      get rawBody() {
        return messageText(scope.message);
      },
      get body() {
        return scope.message?.json;
      },
    };
    return view;
  }
}

/** The top mustache context of a section template: names resolve as in flat templates. */
class SectionContext extends Mustache.Context {
  readonly #context: RenderContext;

  constructor(context: RenderContext, view: Record<string, unknown>) {
    super(view);
    this.#context = context;
  }

  override lookup(name: string): unknown {
    return this.#context.resolve(name === '.' ? ['.'] : name.split('.'));
  }
}

function volatileValue(name: string, scope: TemplateScope): unknown {
  switch (name) {
    case 'now':
      return new Date().toISOString();
    case 'timestamp':
      return Math.floor(Date.now() / 1000);
    case 'timestampMs':
      return Date.now();
    default:
      return scope.uuid ? scope.uuid() : randomUUID();
  }
}

function connectionView(connection: Connection) {
  return { id: connection.id, path: connection.path, params: connection.params, query: connection.query, data: connection.data };
}

type Tokens = string[][];

/** Parses a template; throws mustache's error ("Unclosed tag at 12") when it does not parse. */
function parse(source: string): Tokens {
  return writer.parse(source) as Tokens;
}

/** The parse error of a template, or undefined when it is valid. For config validation. */
export function checkTemplate(source: string): string | undefined {
  if (!source.includes('{{')) return undefined;
  try {
    parse(source);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

/** Parses a text template once. A source without `{{` is returned as it is, with no mustache involved. */
export function compileTemplate(source: string): Template {
  if (!source.includes('{{')) return { constant: true, render: () => source };
  let tokens: Tokens;
  try {
    tokens = parse(source);
  } catch {
    // Validation rejects templates that do not parse; one that slips through
    // (a response returned at run time) is sent as written, never thrown.
    return { constant: true, render: () => source };
  }
  const parts = flatParts(tokens);
  if (parts) {
    // Text and variables only (the usual case): no mustache machinery per
    // frame, just the parts joined, each variable's path split already.
    const [only] = parts;
    if (parts.length === 1 && typeof only !== 'string') return { constant: false, render: (context) => format(context.resolve(only!)) };
    return {
      constant: false,
      render: (context) => {
        let out = '';
        for (const part of parts) out += typeof part === 'string' ? part : format(context.resolve(part));
        return out;
      },
    };
  }
  return { constant: false, render: (context) => writer.renderTokens(tokens, context.mustache(), undefined, source) };
}

/** The template as text and variable paths, or undefined when it has sections or partials. */
function flatParts(tokens: Tokens): (string | readonly string[])[] | undefined {
  const parts: (string | readonly string[])[] = [];
  for (const token of tokens) {
    const [type, value] = token as [string, string];
    if (type === 'text') parts.push(value);
    else if (type === 'name' || type === '&') parts.push(value === '.' ? ['.'] : value.split('.'));
    else if (type !== '!' && type !== '=') return undefined;
  }
  return parts;
}

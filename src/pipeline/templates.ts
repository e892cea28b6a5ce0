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
}

/** A parsed text template. `constant` when the source has no tags. */
export interface Template {
  readonly constant: boolean;
  render(context: RenderContext): string;
}

/** A parsed JSON value whose strings may hold templates. */
export interface JsonTemplate {
  readonly constant: boolean;
  render(context: RenderContext): unknown;
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

function walk(root: unknown, path: readonly string[]): unknown {
  let node = root;
  for (const key of path) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function messageText(message: Message | undefined): string | undefined {
  if (!message) return undefined;
  return message.text ?? (message.data as Buffer).toString('utf8');
}

/**
 * The mustache context of one response. Values are computed on first use and
 * then cached for the rest of the response, so `{{uuid}}` twice in one JSON
 * response is the same id, and a response that uses no variable costs nothing.
 *
 * `{{message}}` is the frame's text while `{{message.a}}` reads its JSON, a
 * distinction mustache's own lookup cannot make; `lookup` resolves names
 * itself. Inside sections mustache walks `view`, whose `message` is the JSON.
 */
export class RenderContext extends Mustache.Context {
  readonly #scope: TemplateScope;
  readonly #cache = new Map<string, unknown>();

  constructor(scope: TemplateScope) {
    super(undefined);
    this.#scope = scope;
    this.view = makeView(scope);
  }

  override lookup(name: string): unknown {
    if (this.#cache.has(name)) return this.#cache.get(name);
    const value = this.#resolve(name);
    this.#cache.set(name, value);
    return value;
  }

  #resolve(name: string): unknown {
    if (name === '.') return this.view;
    const [head, ...rest] = name.split('.');
    const message = this.#scope.message;
    switch (head) {
      case 'message':
        return rest.length === 0 ? messageText(message) : walk(message?.json, rest);
      case 'request':
        // Aliases for configs written for another mock server.
        if (rest[0] === 'rawBody' && rest.length === 1) return messageText(message);
        if (rest[0] === 'body') return rest.length === 1 ? messageText(message) : walk(message?.json, rest.slice(1));
        return undefined;
      default:
        return walk(this.view, name.split('.'));
    }
  }
}

function makeView(scope: TemplateScope): Record<string, unknown> {
  const { connection } = scope;
  return {
    get message() {
      const json = scope.message?.json;
      return typeof json === 'object' && json !== null ? json : messageText(scope.message);
    },
    get now() {
      return new Date().toISOString();
    },
    get timestamp() {
      return Math.floor(Date.now() / 1000);
    },
    get timestampMs() {
      return Date.now();
    },
    get uuid() {
      return randomUUID();
    },
    connection: {
      id: connection.id,
      path: connection.path,
      params: connection.params,
      query: connection.query,
    },
    get connectionCount() {
      return scope.connectionCount();
    },
    sequence: scope.sequence,
  };
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
  return { constant: false, render: (context) => writer.renderTokens(tokens, context, undefined, source) };
}

/**
 * Compiles a JSON value whose strings (keys included) may hold templates.
 * Rendering builds a new value only along templated branches; the JSON text
 * is produced by `JSON.stringify` afterwards, so whatever a variable holds
 * (quotes, newlines, unicode) the frame stays valid JSON.
 */
export function compileJsonTemplate(value: unknown): JsonTemplate {
  if (typeof value === 'string') {
    const template = compileTemplate(value);
    return template.constant ? constantJson(value) : template;
  }
  if (Array.isArray(value)) {
    const items = value.map(compileJsonTemplate);
    if (items.every((item) => item.constant)) return constantJson(value);
    return { constant: false, render: (context) => items.map((item) => item.render(context)) };
  }
  if (typeof value === 'object' && value !== null && !Buffer.isBuffer(value)) {
    const entries = Object.entries(value).map(([key, item]) => [compileTemplate(key), compileJsonTemplate(item)] as const);
    if (entries.every(([key, item]) => key.constant && item.constant)) return constantJson(value);
    return {
      constant: false,
      render: (context) => {
        const out: Record<string, unknown> = {};
        for (const [key, item] of entries) out[key.render(context)] = item.render(context);
        return out;
      },
    };
  }
  return constantJson(value);
}

function constantJson(value: unknown): JsonTemplate {
  return { constant: true, render: () => value };
}

/** Every template parse error inside a JSON value, with the path of the string, for config validation. */
export function checkJsonTemplates(value: unknown, path: (string | number)[] = []): { path: (string | number)[]; message: string }[] {
  if (typeof value === 'string') {
    const problem = checkTemplate(value);
    return problem ? [{ path, message: problem }] : [];
  }
  if (Array.isArray(value)) return value.flatMap((item, i) => checkJsonTemplates(item, [...path, i]));
  if (typeof value === 'object' && value !== null && !Buffer.isBuffer(value)) {
    return Object.entries(value).flatMap(([key, item]) => {
      const problem = checkTemplate(key);
      return [...(problem ? [{ path: [...path, key], message: problem }] : []), ...checkJsonTemplates(item, [...path, key])];
    });
  }
  return [];
}

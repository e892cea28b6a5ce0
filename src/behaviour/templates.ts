//
// Response templating: mustache without HTML escaping, over the variables of
// SPEC §3. A template is parsed once, when the mock is compiled (mustache is
// reached only through ./mustache.ts); a frame rendered from text and
// variables only joins pre-split parts. Strings without "{{" never reach
// mustache at all.
//
import { randomUUID } from 'node:crypto';
import type { Connection } from '../connections/Connection.js';
import type { Message } from '../connections/Message.js';
import { checkMustache, compileMustache, type MustacheScope, type MustacheTemplate } from './mustache.js';

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
/** True when the source has no tags: `render()` returns it as is. */
  readonly constant: boolean;
/** The text, rendered against `context`. */
  render(context: RenderContext): string;
}

/** How a looked-up value becomes text: objects and arrays as JSON, nothing as "". */
export function format(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return JSON.stringify(value) ?? '';
  return String(value);
}

/** The value at `path` (from segment `from` on) inside `root`, reading own properties only. */
export function walk(root: unknown, path: readonly string[], from = 0): unknown {
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

/**
 * What one response renders against. Values are computed on first use; the
 * time and `{{uuid}}` are then kept for the rest of the response, so
 * `{{uuid}}` twice in one JSON response is the same id, and a response that
 * uses no variable costs nothing.
 *
 * `{{message}}` is the frame's text while `{{message.a}}` reads its JSON, a
 * distinction mustache's own lookup cannot make, so names are resolved here.
 * Templates with sections render through mustache, with this as their
 * {@link MustacheScope}.
 */
export class RenderContext implements MustacheScope {
  readonly #scope: TemplateScope;
  // The volatile values, once read (plain fields: a Map per response costs
  // more than the values it would hold).
  #now: string | undefined;
  #timestamp: number | undefined;
  #timestampMs: number | undefined;
  #uuid: string | undefined;
  #view: Record<string, unknown> | undefined;

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
        return this.view;
      case 'now':
        return path.length === 1 ? (this.#now ??= isoNow()) : undefined;
      case 'timestamp':
        return path.length === 1 ? (this.#timestamp ??= Math.floor(Date.now() / 1000)) : undefined;
      case 'timestampMs':
        return path.length === 1 ? (this.#timestampMs ??= Date.now()) : undefined;
      case 'uuid':
        return path.length === 1 ? (this.#uuid ??= this.#scope.uuid ? this.#scope.uuid() : randomUUID()) : undefined;
      default:
        return undefined;
    }
  }

  /** Resolves a name as a template writes it (`message.a`, `.`), for templates with sections. */
  lookup(name: string): unknown {
    return this.resolve(name === '.' ? ['.'] : name.split('.'));
  }

  /**
   * What mustache walks itself inside a section, for a name the section's
   * value lacks: the variables mirrored as plain properties (its `message` is
   * the JSON, to iterate over). Built on first use, once per response.
   */
  get view(): Record<string, unknown> {
    this.#view ??= this.#buildView();
    return this.#view;
  }

  #buildView(): Record<string, unknown> {
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

let lastMs = Number.NaN;
let lastIso = '';

/** `new Date().toISOString()`, formatted once per millisecond (a busy mock answers many times in one). */
function isoNow(): string {
  const ms = Date.now();
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
}

function connectionView(connection: Connection) {
  return { id: connection.id, path: connection.path, params: connection.params, query: connection.query, data: connection.data };
}

/** The parse error of a template, or undefined when it is valid. For config validation. */
export function checkTemplate(source: string): string | undefined {
  if (!source.includes('{{')) return undefined;
  return checkMustache(source);
}

/** A template of text and variables only: its text parts, and each variable's path, split. */
export type TemplateParts = readonly (string | readonly string[])[];

/** Parses a template: undefined when it does not parse (validation rejects those first). */
function parse(source: string): MustacheTemplate | undefined {
  try {
    return compileMustache(source, format);
  } catch {
    return undefined;
  }
}

function splitParts(template: MustacheTemplate): TemplateParts | undefined {
  return template.parts?.map((part) => (typeof part === 'string' ? part : part.name === '.' ? ['.'] : part.name.split('.')));
}

/** Parses a text template once. A source without `{{` is returned as it is, with no mustache involved. */
export function compileTemplate(source: string): Template {
  return compileTemplateParts(source).template;
}

/**
 * {@link compileTemplate}, and the template's text and variables when it has
 * nothing else (no sections): for renderers that join them their own way
 * (JSON strings, jsonTemplates.ts).
 */
export function compileTemplateParts(source: string): { template: Template; parts: TemplateParts | undefined } {
  if (!source.includes('{{')) return { template: { constant: true, render: () => source }, parts: undefined };
  const template = parse(source);
  // One that does not parse but slipped through validation (a response
  // returned at run time) is sent as written, never thrown.
  if (!template) return { template: { constant: true, render: () => source }, parts: undefined };
  const parts = splitParts(template);
  if (!parts) return { template: { constant: false, render: (context) => template.render(context) }, parts };
  return { template: joinParts(parts), parts };
}

/** Text and variables only (the usual case): no mustache machinery per frame, just the parts joined, each variable's path split already. */
function joinParts(parts: TemplateParts): Template {
  if (parts.length === 1) {
    const [only] = parts as [string | readonly string[]];
    if (typeof only === 'string') return { constant: false, render: () => only };
    return { constant: false, render: (context) => format(context.resolve(only)) };
  }
  return {
    constant: false,
    render: (context) => {
      let out = '';
      for (const part of parts) out += typeof part === 'string' ? part : format(context.resolve(part));
      return out;
    },
  };
}

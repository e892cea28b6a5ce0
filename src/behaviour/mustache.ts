//
// mustache, behind the three things wsmock asks of it: check a template,
// tell whether it is only text and variables (and if so, which), and render
// it with values turned into text by the caller instead of HTML-escaped.
//
// Why a module of its own: templates.ts used to switch off mustache's private
// template cache and walk the token tuples `parse` returns, whose layout is
// not part of mustache's API. Here only what mustache documents is used (its
// README and typings): a `Writer` of our own with `parse` and `render`, a
// `Context` subclass passed to `render` as the view, a partials function, and
// the `{ tags, escape }` options. mustache stays the one parser: a template's
// structure is learned by rendering it once against a context that records
// the names looked up. test/behaviour.mustache.test.ts pins what we rely on,
// so an upgrade that changes it fails a test instead of a user's mock.
// Nothing else in wsmock imports mustache.
//
import Mustache from 'mustache';

/** The delimiters, whatever a test suite sharing the process sets `Mustache.tags` to. */
const TAGS: Mustache.OpeningAndClosingTags = ['{{', '}}'];

/** How a looked-up value becomes text in the output. */
export type Format = (value: unknown) => string;

/** A piece of a template made only of text and variables: text as it renders, or a variable's name as written (`message.a`, `.`). */
export type TemplatePart = string | { readonly name: string };

/** What the names of a template are resolved against when mustache renders it. */
export interface MustacheScope {
  /** The value of a name used outside any section, as written in the tag (`message.a`, `.`). */
  lookup(name: string): unknown;
  /** The object mustache searches, after the values of the enclosing sections, for a name used inside a section. */
  readonly view: object;
}

/** A template mustache has parsed, bound to one {@link Format}. */
export interface MustacheTemplate {
  /**
   * The template as text and variables, in order, when it has nothing else
   * (comments and delimiter changes are allowed: they are gone once parsed);
   * undefined when it has sections, inverted sections or partials. Rendering
   * such a template is joining the text with each variable's formatted value,
   * with no mustache involved.
   */
  readonly parts: readonly TemplatePart[] | undefined;
  /**
   * Renders through mustache. Names outside sections go to `scope.lookup`;
   * inside a section mustache looks a name up in the section's value, then
   * in the enclosing sections' values, then in `scope.view`. Every variable,
   * `{{x}}`, `{{{x}}}` or `{{&x}}`, prints its value through the format (no
   * HTML escaping); null and undefined print nothing; partials render nothing.
   */
  render(scope: MustacheScope): string;
}

/** The parse error of a template (`Unclosed tag at 12`), or undefined when mustache parses it. */
export function checkMustache(source: string): string | undefined {
  try {
    // A writer of its own: checking a config must not grow a cache anywhere.
    new Mustache.Writer().parse(source, TAGS);
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/**
 * Parses a template once, for rendering with `format`; throws mustache's
 * parse error when it does not parse. The template keeps its own mustache
 * writer, whose cache holds its parsed form, so renders do not parse again
 * and nothing outlives the template.
 */
export function compileMustache(source: string, format: Format): MustacheTemplate {
  const writer = new Mustache.Writer();
  const parts = flatParts(writer, source);
  const options: Mustache.RenderOptions = { tags: TAGS, escape: format };
  return {
    parts,
    render: (scope) => writer.render(source, new ScopeContext(scope.view, undefined, scope, format), undefined, options),
  };
}

/**
 * mustache's context with the top names resolved by a {@link MustacheScope}
 * and every object looked up made printable through the format: `{{{x}}}`
 * and `{{&x}}` print a value by string conversion, with no escape function
 * to hook. Sections push contexts of this class too, so that holds at any
 * depth; a section still iterates the array, or walks the object, as is.
 */
class ScopeContext extends Mustache.Context {
  readonly #scope: MustacheScope | undefined;
  readonly #format: Format;

  constructor(view: unknown, parent: Mustache.Context | undefined, scope: MustacheScope | undefined, format: Format) {
    super(view, parent);
    this.#scope = scope;
    this.#format = format;
  }

  override lookup(name: string): unknown {
    const value: unknown = this.#scope ? this.#scope.lookup(name) : ownLookup(this, name);
    if (typeof value !== 'object' || value === null) return value;
    const format = this.#format;
    return new Proxy(value, {
      get: (target, key) => (key === Symbol.toPrimitive ? () => format(target) : Reflect.get(target, key)),
    });
  }

  override push(view: unknown): Mustache.Context {
    return new ScopeContext(view, this, undefined, this.#format);
  }
}

/**
 * mustache's lookup inside a section, reading own properties only: its own
 * finds what every object inherits (`{{constructor}}`, `{{toString}}`) and
 * calls it. As mustache does, the name is tried on the section's value, then
 * on each enclosing one; a dotted name must resolve all the way on one of
 * them, and only its last segment may be a primitive's own property (a
 * string's `length`).
 */
function ownLookup(context: Mustache.Context, name: string): unknown {
  if (name === '.') return context.view;
  const names = name.split('.');
  for (let at: Mustache.Context | undefined = context; at; at = at.parent) {
    let node: unknown = at.view;
    let found = true;
    for (let i = 0; i < names.length; i++) {
      const key = names[i]!;
      const holder = typeof node === 'object' && node !== null ? node : names.length > 1 && i === names.length - 1 && node !== null && node !== undefined ? Object(node) : undefined;
      if (holder === undefined || !Object.hasOwn(holder as object, key)) {
        found = false;
        break;
      }
      node = (holder as Record<string, unknown>)[key];
    }
    if (found) return node;
  }
  return undefined;
}

// Marks printed for the recorded names; a template holding this character is
// simply never taken for a flat one.
const MARK = '\u0000';

/**
 * A context that answers every lookup with a fresh empty list printing as a
 * numbered mark, and records the name. A variable tag prints its mark; a
 * section or inverted section looks its name up but, over an empty list,
 * never prints that mark (a section renders nothing, an inverted section
 * renders its block, whose own lookups are recorded after it).
 */
class RecordingContext extends Mustache.Context {
  readonly names: string[] = [];

  constructor() {
    super(Object.create(null));
  }

  override lookup(name: string): unknown {
    const mark = `${MARK}${this.names.push(name) - 1}${MARK}`;
    return Object.assign([], { toString: () => mark });
  }
}

/**
 * Renders the template once against a {@link RecordingContext}: it is text
 * and variables only when no partial was asked for and the output holds
 * every recorded name's mark exactly once, in order. The text between the
 * marks is the template's text as mustache renders it (standalone comment
 * and delimiter lines already removed). Throws mustache's parse error.
 */
function flatParts(writer: Mustache.Writer, source: string): TemplatePart[] | undefined {
  const recorder = new RecordingContext();
  let partial = false;
  const output = writer.render(
    source,
    recorder,
    () => {
      partial = true;
      return undefined;
    },
    { tags: TAGS, escape: String },
  );
  if (partial || source.includes(MARK)) return undefined;
  const pieces = output.split(MARK);
  if (pieces.length !== recorder.names.length * 2 + 1) return undefined;
  const parts: TemplatePart[] = [];
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i]!;
    if (i % 2 === 0) {
      if (piece !== '') parts.push(piece);
    } else {
      const index = (i - 1) / 2;
      if (piece !== String(index)) return undefined;
      parts.push({ name: recorder.names[index]! });
    }
  }
  return parts;
}

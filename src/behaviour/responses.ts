//
// Responses: a ResponseSpec compiled once per mock into something that
// renders a frame, and the values an in-process `respond` may return turned
// into the same thing.
//
import type { RespondResult, ResponseSpec } from '../mocks/types.js';
import { parseDuration } from '../util/duration.js';
import { compileJsonTemplate } from './jsonTemplates.js';
import { compileTemplate, RenderContext, type TemplateScope } from './templates.js';
import { toBuffer } from '../util/bytes.js';

/** A frame ready for the connection's outbound phase (`deliver`). */
export interface OutgoingFrame {
  /** What goes on the wire. */
  readonly payload: string | Buffer;
  /** Whether it goes as a binary frame. */
  readonly binary: boolean;
  /** The value a JSON frame was serialised from, so the journal need not parse it back. */
  readonly json?: unknown;
  /** The text the journal records when the payload is its bytes. */
  readonly journal?: string;
}

/** A response ready to render: its delay in milliseconds and how to build its frame. */
export interface CompiledResponse {
/** Milliseconds before the frame is sent. */
  readonly delay: number;
  /** Builds the frame; `scope` is only read when the response has templates. */
  render(scope: TemplateScope): OutgoingFrame;
}

/** Options of {@link compileResponse}. */
export interface CompileResponseOptions {
  /** Render `{{…}}` (configs); false sends strings as written (values computed by a `respond` function). */
  templates?: boolean;
}

/** The bytes of a binary response: given as bytes in-process, as base64 in configs. */
function bytesOf(value: unknown): Buffer {
  if (value instanceof Uint8Array || value instanceof ArrayBuffer) return toBuffer(value);
  return Buffer.from(String(value), 'base64');
}

/** Compiles a validated {@link ResponseSpec}: templates parsed, base64 decoded, constant JSON serialised once. */
export function compileResponse(spec: ResponseSpec, options: CompileResponseOptions = {}): CompiledResponse {
  const templates = options.templates ?? true;
  const delay = parseDuration(spec.delay) ?? 0;

  if (spec.type === 'binary') {
    const frame: OutgoingFrame = { payload: bytesOf(spec.value), binary: true };
    return { delay, render: () => frame };
  }

  if (spec.type === 'text') {
    const source = String(spec.value);
    const template = templates ? compileTemplate(source) : undefined;
    if (!template || template.constant) return constant(delay, source);
    return { delay, render: (scope) => ({ payload: template.render(new RenderContext(scope)), binary: false }) };
  }

  const template = templates ? compileJsonTemplate(spec.value) : undefined;
  if (!template || template.constant) return constant(delay, JSON.stringify(spec.value) ?? 'null', spec.value);
  // The journal parses the JSON back only if someone reads `message.json`.
  return { delay, render: (scope) => ({ payload: template.text(new RenderContext(scope)), binary: false }) };
}

/**
 * A text frame that never changes, encoded once: every send reuses its bytes
 * (ws writes them as they are) and the journal records its text.
 */
function constant(delay: number, text: string, json?: unknown): CompiledResponse {
  const frame: OutgoingFrame = { payload: Buffer.from(text), binary: false, journal: text, ...(json === undefined ? {} : { json }) };
  return { delay, render: () => frame };
}

const RESPONSE_KEYS = new Set(['type', 'value', 'delay']);

/** Whether a value returned by `respond` is a {@link ResponseSpec} rather than an object to send as JSON. */
export function isResponseSpec(value: object): value is ResponseSpec {
  const spec = value as Record<string, unknown>;
  return (
    (spec.type === 'text' || spec.type === 'json' || spec.type === 'binary') &&
    Object.hasOwn(spec, 'value') &&
    Object.keys(spec).every((key) => RESPONSE_KEYS.has(key))
  );
}

/**
 * Turns what a `respond` function returned into a response, or `undefined`
 * for "send nothing": a string is a text frame, bytes a binary frame, a
 * {@link ResponseSpec} is honoured (with its delay, without templating: the
 * function computed its values), any other value is sent as JSON.
 */
export function responseFromResult(result: RespondResult): CompiledResponse | undefined {
  if (result === undefined || result === null) return undefined;
  if (typeof result === 'string') return compileResponse({ type: 'text', value: result }, { templates: false });
  if (result instanceof Uint8Array || result instanceof ArrayBuffer) {
    return compileResponse({ type: 'binary', value: result }, { templates: false });
  }
  if (typeof result === 'object' && isResponseSpec(result)) return compileResponse(result, { templates: false });
  return compileResponse({ type: 'json', value: result }, { templates: false });
}

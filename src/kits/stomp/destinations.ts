//
// A mock's `destinations`, compiled once per mock version: what a SEND to
// each destination publishes, its templates parsed. Templates see the SEND
// (`{{body}}`, `{{json.text}}`, `{{headers.name}}`, `{{destination}}`), the
// CONNECT's headers (`{{connect.login}}`) and
// the variables of every response.
//
import { compileTemplate, compileValueTemplate, RenderContext, walk, type TemplateScope } from '../../kit/index.js';
import type { StompSend } from './StompSend.js';
import type { StompDestinationHandler, StompDestinationSpec, StompReplySpec } from './types.js';

/** A reply rendered: where, what, with which headers. */
export interface RenderedReply {
  readonly destination: string;
  readonly body: unknown;
  readonly headers: Record<string, string>;
}

class SendRenderContext extends RenderContext {
  readonly #send: StompSend;
  readonly #connect: Readonly<Record<string, string>>;

  constructor(scope: TemplateScope, send: StompSend, connect: Readonly<Record<string, string>>) {
    super(scope);
    this.#send = send;
    this.#connect = connect;
  }

  override resolve(path: readonly string[]): unknown {
    switch (path[0]) {
      case 'body':
      case 'destination':
        return path.length === 1 ? this.#send[path[0]] : undefined;
      case 'json':
        return walk(this.#send.json, path, 1);
      case 'headers':
        return walk(this.#send.headers, path, 1);
      case 'connect':
        return walk(this.#connect, path, 1);
      default:
        return super.resolve(path);
    }
  }
}

/** What a destination does with a SEND: replies rendered from its config, or the test's function. */
export type DestinationAnswer = { readonly kind: 'replies'; readonly render: (scope: TemplateScope, send: StompSend, connect: Readonly<Record<string, string>>) => RenderedReply[] } | { readonly kind: 'handler'; readonly handler: StompDestinationHandler };

function compileReply(spec: StompReplySpec): (context: RenderContext) => RenderedReply {
  const destination = compileTemplate(spec.destination);
  const body = compileValueTemplate(spec.body ?? '');
  const headers = Object.entries(spec.headers ?? {}).map(([name, value]) => [name, compileTemplate(value)] as const);
  return (context) => ({
    destination: destination.render(context),
    body: body.render(context),
    headers: Object.fromEntries(headers.map(([name, value]) => [name, value.render(context)])),
  });
}

function compileDestination(spec: StompDestinationSpec | StompDestinationHandler): DestinationAnswer {
  if (typeof spec === 'function') return { kind: 'handler', handler: spec };
  const replies = (Array.isArray(spec.reply) ? spec.reply : [spec.reply]).map(compileReply);
  return {
    kind: 'replies',
    render: (scope, send, connect) => {
      const context = new SendRenderContext(scope, send, connect);
      return replies.map((reply) => reply(context));
    },
  };
}

/** Compiles a mock's `destinations` (validated already) into the lookup by destination. */
export function compileDestinations(destinations: Record<string, StompDestinationSpec | StompDestinationHandler> | undefined): (destination: string) => DestinationAnswer | undefined {
  const compiled = new Map(Object.entries(destinations ?? {}).map(([name, spec]) => [name, compileDestination(spec)]));
  return (destination) => compiled.get(destination);
}

/** Whether a function's result is a reply, or a list of them, to publish; what it is otherwise, for the error. */
export function repliesOf(value: unknown): RenderedReply[] | string {
  const list = Array.isArray(value) ? value : [value];
  for (const item of list) {
    if (typeof item !== 'object' || item === null || typeof (item as { destination?: unknown }).destination !== 'string') {
      return `a destination function must return undefined, { destination, body?, headers? } or a list of them, got ${JSON.stringify(item)?.slice(0, 60) ?? typeof item}`;
    }
  }
  return list.map((item: StompReplySpec) => ({ destination: item.destination, body: item.body ?? '', headers: { ...(item.headers ?? {}) } }));
}

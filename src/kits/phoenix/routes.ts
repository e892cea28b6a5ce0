//
// A mock's `channels`, compiled once per mock version: topic patterns in the
// order the config lists them (an exact topic before any pattern), joins and
// event replies with their templates parsed.
//
import { compileValueTemplate, RenderContext, walk, type TemplateScope } from '../../kit/index.js';
import type { PhoenixChannelConfig, PhoenixEventHandler, PhoenixJoinHandler, PhoenixJoinSpec } from './types.js';

/** What a template of a join or a reply reads besides the WebSocket variables. */
export interface PhoenixTemplateVars {
  readonly topic: string;
  readonly event: string;
  readonly payload: unknown;
  /** The socket's connect params (the query without `vsn`). */
  readonly params: Readonly<Record<string, string>>;
}

/** `{{payload.x}}`, `{{topic}}`, `{{event}}`, `{{socket.params.x}}`, then the variables of every response. */
class PhoenixRenderContext extends RenderContext {
  readonly #vars: PhoenixTemplateVars;

  constructor(scope: TemplateScope, vars: PhoenixTemplateVars) {
    super(scope);
    this.#vars = vars;
  }

  override resolve(path: readonly string[]): unknown {
    switch (path[0]) {
      case 'payload':
        return walk(this.#vars.payload, path, 1);
      case 'topic':
      case 'event':
        return path.length === 1 ? this.#vars[path[0]] : undefined;
      case 'socket':
        return path[1] === 'params' ? walk(this.#vars.params, path, 2) : undefined;
      default:
        return super.resolve(path);
    }
  }
}

/** A status and a response to render. */
export type ReplyRender = (scope: TemplateScope, vars: PhoenixTemplateVars) => { status: string; response: unknown };

function compileReply(spec: { status: string; response?: unknown }): ReplyRender {
  const response = compileValueTemplate(spec.response ?? {});
  const constant = { status: spec.status, response: spec.response ?? {} };
  return response.constant ? () => constant : (scope, vars) => ({ status: spec.status, response: response.render(new PhoenixRenderContext(scope, vars)) });
}

/** How a route answers a join. */
export type CompiledJoin = { readonly kind: 'manual' } | { readonly kind: 'answer'; readonly render: ReplyRender } | { readonly kind: 'handler'; readonly handler: PhoenixJoinHandler };

/** What a route does with one pushed event. */
export type CompiledEvent =
  | { readonly kind: 'handler'; readonly handler: PhoenixEventHandler }
  | { readonly kind: 'answer'; readonly reply: ReplyRender | undefined; readonly broadcast: boolean };

/** One channel route. */
export interface CompiledRoute {
  /** The pattern as the config writes it (`room:*`). */
  readonly pattern: string;
  readonly join: CompiledJoin;
  readonly events: ReadonlyMap<string, CompiledEvent>;
}

/** A join decision made from a {@link PhoenixJoinSpec}. */
export function compileJoin(spec: PhoenixJoinSpec | undefined): CompiledJoin {
  if (spec === 'manual') return { kind: 'manual' };
  return { kind: 'answer', render: compileReply(spec ?? { status: 'ok' }) };
}

function compileRoute(pattern: string, config: PhoenixChannelConfig): CompiledRoute {
  const events = new Map<string, CompiledEvent>();
  for (const [name, event] of Object.entries(config.events ?? {})) {
    events.set(name, typeof event === 'function' ? { kind: 'handler', handler: event } : { kind: 'answer', reply: event.reply ? compileReply(event.reply) : undefined, broadcast: event.broadcast ?? false });
  }
  const join: CompiledJoin = typeof config.join === 'function' ? { kind: 'handler', handler: config.join } : compileJoin(config.join);
  return { pattern, join, events };
}

function escape(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}

/** The routes of a mock version: `match(topic)` is the route of a join, undefined for an unmatched topic. */
export class Routes {
  readonly #exact = new Map<string, CompiledRoute>();
  readonly #patterns: { regex: RegExp; route: CompiledRoute }[] = [];
  /** Without `channels`, every topic is joined with `{ status: 'ok' }`. */
  readonly #fallback: CompiledRoute | undefined;

  constructor(channels: Record<string, PhoenixChannelConfig> | undefined) {
    this.#fallback = channels ? undefined : compileRoute('*', {});
    for (const [pattern, config] of Object.entries(channels ?? {})) {
      const route = compileRoute(pattern, config);
      if (!pattern.includes('*')) this.#exact.set(pattern, route);
      else this.#patterns.push({ regex: new RegExp(`^${pattern.split('*').map(escape).join('.*')}$`, 's'), route });
    }
  }

  match(topic: string): CompiledRoute | undefined {
    return this.#exact.get(topic) ?? this.#patterns.find(({ regex }) => regex.test(topic))?.route ?? this.#fallback;
  }
}

//
// A mock's `channels`, compiled once per mock version: each channel's
// subscribe mode, its stream names and its actions' answers with their
// templates parsed. Templates see the subscription (`{{params.room}}`,
// `{{channel}}`), the action (`{{action}}`, `{{data.text}}`) and the
// variables of every response.
//
import { compileTemplate, compileValueTemplate, RenderContext, walk, type TemplateScope } from '../../kit/index.js';
import type { ActionCableParams } from './protocol.js';
import type { ActionCableActionHandler, ActionCableActionSpec, ActionCableChannelConfig, ActionCableSubscribeMode } from './types.js';

/** What a template of a channel renders against. */
export interface ChannelView {
  readonly channel: string;
  readonly params: ActionCableParams;
  readonly action?: string;
  readonly data?: Record<string, unknown>;
}

class ChannelRenderContext extends RenderContext {
  readonly #view: ChannelView;

  constructor(scope: TemplateScope, view: ChannelView) {
    super(scope);
    this.#view = view;
  }

  override resolve(path: readonly string[]): unknown {
    switch (path[0]) {
      case 'params':
      case 'data':
        return walk(this.#view[path[0]], path, 1);
      case 'channel':
      case 'action':
        return path.length === 1 ? this.#view[path[0]] : undefined;
      default:
        return super.resolve(path);
    }
  }
}

/** What an action does: rendered from its config, or the test's function to run. */
export type ActionOutcome =
  | { readonly kind: 'broadcast'; readonly stream: string; readonly message: unknown }
  | { readonly kind: 'transmit'; readonly message: unknown }
  | { readonly kind: 'handler'; readonly handler: ActionCableActionHandler };

/** A compiled channel. */
export interface CompiledChannel {
  readonly subscribe: ActionCableSubscribeMode;
  /** The streams a subscription streams from once confirmed. */
  streams(scope: TemplateScope, view: ChannelView): string[];
  /** The answer of an action, or undefined when the channel does not list it. */
  action(name: string): ((scope: TemplateScope, view: ChannelView) => ActionOutcome) | undefined;
}

function compileAction(spec: ActionCableActionSpec | ActionCableActionHandler): (scope: TemplateScope, view: ChannelView) => ActionOutcome {
  if (typeof spec === 'function') {
    const outcome: ActionOutcome = { kind: 'handler', handler: spec };
    return () => outcome;
  }
  if (spec.broadcast !== undefined) {
    const stream = compileTemplate(spec.broadcast.stream);
    const message = compileValueTemplate(spec.broadcast.message);
    return (scope, view) => {
      const context = new ChannelRenderContext(scope, view);
      return { kind: 'broadcast', stream: stream.render(context), message: message.render(context) };
    };
  }
  const message = compileValueTemplate(spec.transmit);
  return (scope, view) => ({ kind: 'transmit', message: message.render(new ChannelRenderContext(scope, view)) });
}

function compileChannel(spec: ActionCableChannelConfig): CompiledChannel {
  const names = spec.streamFrom === undefined ? [] : Array.isArray(spec.streamFrom) ? spec.streamFrom : [spec.streamFrom];
  const streams = names.map(compileTemplate);
  const actions = new Map(Object.entries(spec.actions ?? {}).map(([name, action]) => [name, compileAction(action)]));
  return {
    subscribe: spec.subscribe ?? 'confirm',
    streams: (scope, view) => {
      if (streams.length === 0) return [];
      const context = new ChannelRenderContext(scope, view);
      return streams.map((stream) => stream.render(context));
    },
    action: (name) => actions.get(name),
  };
}

/** Every channel confirmed, streaming from nothing: a mock without `channels`. */
const OPEN: CompiledChannel = compileChannel({});

/** Compiles a mock's `channels` (validated already) into the lookup of a channel by class name. */
export function compileChannels(channels: Record<string, ActionCableChannelConfig> | undefined): (channel: string) => CompiledChannel | undefined {
  if (channels === undefined) return () => OPEN;
  const compiled = new Map(Object.entries(channels).map(([name, spec]) => [name, compileChannel(spec)]));
  const fallback = compiled.get('*');
  return (channel) => compiled.get(channel) ?? fallback;
}

//
// A mock's `topics`, compiled once per version: for each filter, its reply
// with the templates parsed, or the test's function. Templates see the
// publish (`{{topic}}`, `{{levels.1}}`, `{{text}}`, `{{json.x}}`,
// `{{clientId}}`) and the variables of every response.
//
import { compileTemplate, compileValueTemplate, RenderContext, walk, type TemplateScope } from '../../kit/index.js';
import type { MqttPublish } from './messages.js';
import { topicMatches } from './protocol.js';
import type { MqttReplySpec, MqttTopicHandler, MqttTopicSpec } from './types.js';

class PublishRenderContext extends RenderContext {
  readonly #publish: MqttPublish;

  constructor(scope: TemplateScope, publish: MqttPublish) {
    super(scope);
    this.#publish = publish;
  }

  override resolve(path: readonly string[]): unknown {
    const publish = this.#publish;
    switch (path[0]) {
      case 'topic':
        return path.length === 1 ? publish.topic : undefined;
      case 'levels':
        return walk(publish.topic.split('/'), path, 1);
      case 'text':
        return path.length === 1 ? publish.text : undefined;
      case 'json':
        return walk(publish.json, path, 1);
      case 'clientId':
        return path.length === 1 ? publish.clientId : undefined;
      default:
        return super.resolve(path);
    }
  }
}

/** What a topic entry does with a publish: a rendered reply, or the test's function. */
export type TopicAnswer = { readonly kind: 'reply'; readonly reply: MqttReplySpec } | { readonly kind: 'handler'; readonly handler: MqttTopicHandler };

/** A compiled topic entry. */
interface CompiledTopic {
  readonly filter: string;
  answer(scope: TemplateScope, publish: MqttPublish): TopicAnswer;
}

function compileTopic(filter: string, spec: MqttTopicSpec | MqttTopicHandler): CompiledTopic {
  if (typeof spec === 'function') {
    const answer: TopicAnswer = { kind: 'handler', handler: spec };
    return { filter, answer: () => answer };
  }
  const reply = spec.reply!;
  const topic = compileTemplate(reply.topic);
  const payload = compileValueTemplate(reply.payload ?? '');
  return {
    filter,
    answer: (scope, publish) => {
      const context = new PublishRenderContext(scope, publish);
      return { kind: 'reply', reply: { topic: topic.render(context), payload: payload.render(context), qos: reply.qos ?? 0, retain: reply.retain ?? false } };
    },
  };
}

/** The entries of `topics` whose filter matches a topic, in the config's order. */
export function compileTopics(topics: Record<string, MqttTopicSpec | MqttTopicHandler> | undefined): (topic: string) => CompiledTopic[] {
  const compiled = Object.entries(topics ?? {}).map(([filter, spec]) => compileTopic(filter, spec));
  if (compiled.length === 0) return () => [];
  return (topic) => compiled.filter((entry) => topicMatches(entry.filter, topic));
}

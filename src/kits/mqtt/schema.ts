//
// The MQTT mock's own fields, as config files and the admin API write them.
// Templates and topic filters are checked here, so a bad one is refused
// when the mock is defined, naming its field.
//
import { checkJsonTemplates, checkTemplate, orFunction, positiveInt, z } from '../../kit/index.js';
import { validTopicFilter, validTopicName } from './protocol.js';
import type { MqttAuthFunction, MqttPayloadInput, MqttTopicHandler } from './types.js';

type Issues = { code: 'custom'; path: PropertyKey[]; message: string; input: unknown }[];

const qos = z.union([z.literal(0), z.literal(1), z.literal(2)], 'must be 0, 1 or 2');

const replySpec = z
  .strictObject({
    topic: z.string('must be a string (a topic name, templates allowed)').min(1, 'must not be empty'),
    payload: z.unknown().optional(),
    qos: qos.optional(),
    retain: z.boolean().optional(),
  })
  .check((ctx) => {
    const problem = checkTemplate(ctx.value.topic);
    if (problem) ctx.issues.push({ code: 'custom', path: ['topic'], message: `is not a valid template: ${problem}`, input: ctx.value });
    for (const bad of checkJsonTemplates(ctx.value.payload)) (ctx.issues as Issues).push({ code: 'custom', path: ['payload', ...bad.path], message: `is not a valid template: ${bad.message}`, input: ctx.value });
  });

const topicSpec = z.strictObject({ reply: replySpec }, 'must be an object: { reply: { topic, payload } }');

const authSpec = z.strictObject({ users: z.record(z.string(), z.string('must be a string (the password)')) });

const payload = z.custom<MqttPayloadInput>((v) => v !== undefined, 'is required: a string or a JSON value');

const retainedSpec = z.union([z.strictObject({ payload, qos: qos.optional() }), payload]);

/** A record whose keys must pass `valid`: the issue names the key and the rule. */
function keyed<V extends z.ZodType>(value: V, valid: (key: string) => boolean, rule: string) {
  return z.record(z.string(), value).check((ctx) => {
    for (const key of Object.keys(ctx.value)) if (!valid(key)) ctx.issues.push({ code: 'custom', path: [key], message: rule, input: ctx.value });
  });
}
const FILTER_RULE = 'is not a topic filter ("+" alone in its level, "#" alone and last)';
const TOPIC_RULE = 'is not a topic name (not empty, no "+" or "#")';

/** The kit's declarative fields (beside the endpoint fields every WebSocket kit takes). */
export const mqttSchema = z.object({
  auth: authSpec.optional(),
  topics: keyed(topicSpec, validTopicFilter, FILTER_RULE).optional(),
  retained: keyed(retainedSpec, validTopicName, TOPIC_RULE).optional(),
  maximumPacketSize: positiveInt('bytes').optional(),
  maxQueued: positiveInt('messages').optional(),
});

/** In-process, `auth` and a topic's answer may be functions. */
export const mqttInProcess = {
  auth: orFunction<typeof authSpec, MqttAuthFunction>(authSpec).optional(),
  topics: keyed(orFunction<typeof topicSpec, MqttTopicHandler>(topicSpec), validTopicFilter, FILTER_RULE).optional(),
};

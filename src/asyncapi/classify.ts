//
// Which contract message a payload is. The first message whose schema it fits
// wins. When it fits none, the closest is named with its errors: the one whose
// discriminator it carries (a property that the schema fixes to one value,
// with `const` or a one-value `enum`, as Kraken's `event: ping`), else the one
// it breaks the fewest rules of.
//
// This runs on every frame, so the discriminators of a list of messages are
// worked out once (the list is the same array each time) and the messages
// whose discriminator the payload carries are tried first: a frame usually
// costs one compiled validation.
//
import type { ContractError, ContractMessage } from './model.js';
import { isMap } from './values.js';

/** What {@link classify} found: a message the payload fits, or the closest one (if any) and why it does not fit. */
export type Classification =
  | { readonly message: ContractMessage; readonly errors: readonly [] }
  | { readonly message: ContractMessage | undefined; readonly errors: readonly ContractError[] };

/** A property a message's schema fixes to one value. */
interface Discriminator {
  readonly property: string;
  readonly value: unknown;
}

// Each message's discriminators, in the list's order, worked out once per list.
const plans = new WeakMap<readonly ContractMessage[], readonly (readonly Discriminator[])[]>();

const NOTHING_DECLARED: readonly ContractError[] = Object.freeze([{ path: '$', message: 'no message of the contract is declared here', keyword: 'message' }]);


/** The properties a schema fixes to one value (looking into `allOf` too). */
function discriminatorsOf(schema: unknown, depth = 0): Discriminator[] {
  if (!isMap(schema) || depth > 4) return [];
  const out: Discriminator[] = [];
  if (isMap(schema.properties)) {
    for (const [property, sub] of Object.entries(schema.properties)) {
      if (!isMap(sub)) continue;
      if ('const' in sub) out.push({ property, value: sub.const });
      else if (Array.isArray(sub.enum) && sub.enum.length === 1) out.push({ property, value: sub.enum[0] });
    }
  }
  if (Array.isArray(schema.allOf)) for (const part of schema.allOf) out.push(...discriminatorsOf(part, depth + 1));
  return out;
}

function planFor(messages: readonly ContractMessage[]): readonly (readonly Discriminator[])[] {
  let plan = plans.get(messages);
  if (plan === undefined) {
    plan = messages.map((m) => discriminatorsOf(m.payload));
    plans.set(messages, plan);
  }
  return plan;
}

function same(a: unknown, b: unknown): boolean {
  return a === b || (typeof a === 'object' && a !== null && JSON.stringify(a) === JSON.stringify(b));
}

/** Whether the payload carries every discriminator of a message (and it has some). */
function carries(payload: unknown, discriminators: readonly Discriminator[]): boolean {
  return discriminators.length > 0 && isMap(payload) && discriminators.every((d) => same(payload[d.property], d.value));
}

/**
 * Which of `messages` a payload is: the first it fits (`errors` empty), else
 * the closest (its discriminator, else the fewest errors) with the errors;
 * `message` undefined and an error at `$` when `messages` is empty.
 */
export function classify(messages: readonly ContractMessage[], payload: unknown): Classification {
  if (messages.length === 0) return { message: undefined, errors: NOTHING_DECLARED };
  const plan = planFor(messages);
  // Those whose discriminator the payload carries first, then the others; no allocation until one fails.
  let errorsOf: (readonly ContractError[] | undefined)[] | undefined;
  let matched = false;
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < messages.length; i++) {
      const carried = carries(payload, plan[i]!);
      if (carried !== (pass === 0)) continue;
      matched ||= carried;
      const errors = messages[i]!.validate(payload);
      if (errors.length === 0) return { message: messages[i]!, errors: [] };
      (errorsOf ??= [])[i] = errors;
    }
  }
  let best = -1;
  for (let i = 0; i < messages.length; i++) {
    if (matched && !carries(payload, plan[i]!)) continue;
    if (best === -1 || errorsOf![i]!.length < errorsOf![best]!.length) best = i;
  }
  return { message: messages[best]!, errors: errorsOf![best]! };
}

//
// The mock kinds one server knows, by envelope `type`: the WebSocket kind
// always, and one per kit registered with `createMockServer({ kits })`. It
// refuses a second kind of the same type, and builds the envelope schema
// (config files, the admin API, `server.mocks.define()`) from the kinds it
// has, when first asked.
//
import { z } from 'zod';
import { invalidConfig } from '../errors.js';
import type { Mock, MockConfigBase, MockKind } from './Mock.js';
import { identity } from './schema.js';
import { websocketKind } from './WebSocketMock.js';
import { proxyFieldIssues } from '../proxy/schema.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyKind = MockKind<any, Mock<any>, any>;

/** The kinds of one server. */
export class MockKinds {
  readonly #kinds = new Map<string, AnyKind>();
  #schema: z.ZodType | undefined;

  /** The WebSocket kind, then `kinds` in order; throws `WSMOCK_ERR_INVALID_CONFIG` on a type given twice. */
  constructor(kinds: readonly AnyKind[] = [], what = 'kits') {
    this.#kinds.set(websocketKind.type, websocketKind);
    kinds.forEach((kind, index) => {
      const taken = this.#kinds.get(kind.type);
      if (taken === kind) return;
      if (taken) {
        throw invalidConfig('server options', [
          { path: `${what}[${index}].type`, message: `"${kind.type}" is already the type of ${taken.type === 'websocket' ? 'the WebSocket mocks' : 'another kit'}; a type names one kit per server (registered: ${this.types.map((t) => `"${t}"`).join(', ')})` },
        ]);
      }
      this.#kinds.set(kind.type, kind);
    });
  }

  /** The registered types, in registration order. */
  get types(): string[] {
    return [...this.#kinds.keys()];
  }

  /** The carriers of the registered kinds (`websocket` first): the connection types of this server. */
  get carriers(): string[] {
    return [...new Set([...this.#kinds.values()].map((kind) => kind.carrier))];
  }

  /** The kind of envelope `type`, or undefined for an unknown one. */
  get(type: string): MockKind<MockConfigBase, Mock, unknown> | undefined {
    return this.#kinds.get(type);
  }

  /** The envelope schema: one strict object per kind, told apart by `type`. */
  get envelopeSchema(): z.ZodType {
    return (this.#schema ??= envelopeSchema([...this.#kinds.values()]));
  }
}

/** The envelope schema of `kinds`. */
function envelopeSchema(kinds: readonly AnyKind[]): z.ZodType {
  const types = kinds.map((kind) => kind.type);
  const known = `must be one of ${types.map((t) => `"${t}"`).join(', ')}`;
  const objects = kinds.map((kind) => {
    const envelope = z.strictObject({ ...identity, type: z.literal(kind.type), [kind.type]: kind.declarative });
    if (kind.type !== 'websocket') return envelope;
    // The rules between a WebSocket mock's fields and `proxy`, here too so a
    // config file's error names its line (the in-process form checks them as well).
    return envelope.check((ctx) => {
      const fields = (ctx.value as { websocket?: Record<string, unknown> }).websocket;
      if (!fields) return;
      for (const issue of proxyFieldIssues(fields)) ctx.issues.push({ code: 'custom', path: ['websocket', ...issue.path], message: issue.message, input: fields });
    });
  });
  return z.discriminatedUnion('type', objects as unknown as [z.ZodObject, ...z.ZodObject[]], {
    error: (issue) => (issue.code === 'invalid_union' ? known : undefined),
  });
}

//
// The JSON-RPC mock's schema: the declarative form (config files, the admin
// API) and the in-process form (functions allowed). The WebSocket options it
// shares with a WebSocket mock are the WebSocket mock's own field schemas.
//
import { z } from 'zod';
import { checkJsonTemplates } from '../../behaviour/jsonTemplates.js';
import { declarative as websocket, duration, identity, inProcess as websocketInProcess, orFunction, pathTemplate } from '../../mocks/schema.js';
import type { Assert, Same } from '../../mocks/schema.js';
import { validateWith } from '../../mocks/validate.js';
import type { JsonRpcMockConfig, JsonRpcMockFields } from './types.js';

const errorSpec = z.strictObject({
  code: z.int('must be an integer (a JSON-RPC error code such as -32602)'),
  message: z.string({ error: 'is required and must be a string' }),
  data: z.unknown().optional(),
});

const ANSWERS = ['result', 'error', 'manual'] as const;

const methodSpec = z
  .strictObject({
    result: z.unknown().optional(),
    error: errorSpec.optional(),
    manual: z.boolean().optional(),
    delay: duration.optional(),
  })
  .check((ctx) => {
    const spec = ctx.value;
    const given = ANSWERS.filter((key) => spec[key] !== undefined && spec[key] !== false);
    if (given.length !== 1) {
      const message = given.length === 0 ? 'needs one of "result", "error" or "manual: true"' : `takes only one of ${given.map((k) => `"${k}"`).join(', ')}`;
      ctx.issues.push({ code: 'custom', path: [], message, input: spec });
    }
    if (spec.manual && spec.delay !== undefined) {
      ctx.issues.push({ code: 'custom', path: ['delay'], message: 'has no effect on a "manual" method: the test answers when it wants', input: spec });
    }
    for (const key of ['result', 'error'] as const) {
      for (const bad of checkJsonTemplates(spec[key])) {
        ctx.issues.push({ code: 'custom', path: [key, ...bad.path], message: `is not a valid template: ${bad.message}`, input: spec });
      }
    }
  });

const methodName = z.string().min(1, 'a method name must not be empty');
const ws = websocket.mockFields.shape;
const wsInProcess = websocketInProcess.inProcessMock.shape;

const unknownMethods = z.enum(['error', 'wait']).optional();
const shared = {
  requireSubprotocol: ws.requireSubprotocol,
  maxMessageSize: ws.maxMessageSize,
  maxConnections: ws.maxConnections,
  idleTimeout: ws.idleTimeout,
  heartbeat: ws.heartbeat,
};

/** The envelope's `jsonrpc` fields: JSON values only. */
export const jsonRpcFields = z.strictObject({
  path: pathTemplate,
  methods: z.record(methodName, methodSpec).optional(),
  unknownMethods,
  ...shared,
  subprotocols: ws.subprotocols,
  handshake: ws.handshake,
});

const inProcessConfig = z.strictObject({
  path: pathTemplate,
  methods: z.record(methodName, orFunction(methodSpec)).optional(),
  unknownMethods,
  ...shared,
  ...identity,
  subprotocols: wsInProcess.subprotocols,
  handshake: wsInProcess.handshake,
});

/** Validates the argument of `server.jsonrpc()`; throws `WSMOCK_ERR_INVALID_CONFIG` naming every bad field. */
export function validateJsonRpcConfig(config: unknown): JsonRpcMockConfig {
  return validateWith(inProcessConfig, 'JSON-RPC mock config', config);
}

// Compile-time proof that the schemas and the documented interfaces agree.
export type _JsonRpcFieldsAgree = Assert<Same<keyof z.input<typeof jsonRpcFields>, keyof JsonRpcMockFields>>;
export type _JsonRpcConfigAgrees = Assert<Same<keyof z.input<typeof inProcessConfig>, keyof JsonRpcMockConfig>>;

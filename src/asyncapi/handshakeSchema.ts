//
// The schemas of a channel's handshake (`bindings.ws.query`/`headers`, the
// address's parameters) compiled once per contract, with ajv as the messages'
// payloads are. Loaded through runtime.ts only.
//
import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { ContractError, JsonSchema } from './model.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
let ajv: Ajv | undefined;
const compiled = new WeakMap<object, (value: unknown) => readonly ContractError[]>();
const NONE: readonly ContractError[] = Object.freeze([]);

/** An ajv instance path (`/a/0/b`) as a JSON path (`$.a[0].b`). */
function jsonPath(pointer: string): string {
  let path = '$';
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    path += /^\d+$/.test(key) ? `[${key}]` : /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `['${key.replace(/'/g, "\\'")}']`;
  }
  return path;
}

function toError(error: ErrorObject): ContractError {
  const missing = error.keyword === 'required' ? (error.params as { missingProperty?: string }).missingProperty : undefined;
  const path = jsonPath(error.instancePath);
  return missing === undefined
    ? { path, message: error.message ?? 'is invalid', keyword: error.keyword }
    : { path: jsonPath(`${error.instancePath}/${missing}`), message: 'is required', keyword: 'required' };
}

/** The check of one handshake schema: the value's errors, empty when it fits. */
export function compileHandshakeSchema(schema: JsonSchema): (value: unknown) => readonly ContractError[] {
  if (typeof schema === 'boolean') return schema ? () => NONE : () => [{ path: '$', message: 'must not be present', keyword: 'false schema' }];
  const known = compiled.get(schema);
  if (known) return known;
  ajv ??= addFormats(new Ajv({ allErrors: true, strict: false, logger: false }));
  const validate = ajv.compile(schema);
  const check = (value: unknown) => (validate(value) ? NONE : (validate.errors ?? []).map(toError));
  compiled.set(schema, check);
  return check;
}

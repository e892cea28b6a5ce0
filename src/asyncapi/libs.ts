//
// ajv, ajv-formats and the official AsyncAPI JSON Schemas (@asyncapi/specs),
// imported the first time a contract is loaded, never when wsmock loads: a
// server without AsyncAPI pays nothing for them (test/asyncapi.lazy.test.ts).
// The ES module build keeps these as `import()`s, the CommonJS one turns them
// into `require()`s at the same place, as for prom-client and mqtt-packet.
//
import type { Ajv as AjvInstance, ErrorObject, Options, ValidateFunction } from 'ajv';

/** Ajv's types, for the modules that use the instance. */
export type { AjvInstance, ErrorObject, ValidateFunction };

/** What the loader and the validators use of the three packages. */
export interface SchemaLibs {
  /** Makes an Ajv instance with the formats (date-time, uuid, email, uri, ...) added. */
  newAjv(options: Options): AjvInstance;
  /** The official JSON Schema of each AsyncAPI version, without `$id`s (one Ajv instance each). */
  readonly specs: Readonly<Record<string, object>>;
}

let loading: Promise<SchemaLibs> | undefined;

// A CommonJS module imported from an ES module is its `module.exports` under
// `default`; required from CommonJS it is itself. ajv and ajv-formats also
// set `exports.default`. Take whichever holds the value.
function exported<T>(module: unknown): T {
  const outer = (module as { default?: unknown }).default ?? module;
  return ((outer as { default?: unknown }).default ?? outer) as T;
}

/** The three packages, imported once per process. */
export function loadSchemaLibs(): Promise<SchemaLibs> {
  loading ??= Promise.all([import('ajv'), import('ajv-formats'), import('@asyncapi/specs')]).then(([ajv, formats, specs]) => {
    const Ajv = exported<new (options: Options) => AjvInstance>(ajv);
    const addFormats = exported<(ajv: AjvInstance) => AjvInstance>(formats);
    const all = ((specs as { default?: unknown }).default ?? specs) as { schemasWithoutId: Record<string, object> };
    return { newAjv: (options) => addFormats(new Ajv(options)), specs: all.schemasWithoutId };
  });
  return loading;
}

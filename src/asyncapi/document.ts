//
// The structural check of an AsyncAPI document against the official JSON
// Schema of its version (@asyncapi/specs), before anything else reads it.
// Each version's schema takes a few hundred milliseconds to compile, so it is
// compiled once per process, the first time a document of that version comes.
//
// Ajv reports every branch a `oneOf` tried; a reader wants the one that went
// wrong. The errors shown are the deepest ones (the most specific place), with
// the "must match a schema in oneOf" summaries and the "$ref is required" of
// the Reference branch left out when something better was said there.
//
import type { ConfigIssue } from '../errors/WsMockError.js';
import { invalidConfig, unsupportedAsyncApiVersion } from '../errors/catalogue.js';
import type { ErrorObject, SchemaLibs, ValidateFunction } from './libs.js';
import { pointerSegments } from './paths.js';
import { issueAt, type SourceFile } from './refs.js';

/** The most errors one invalid document lists. */
const MAX_ISSUES = 5;

const compiled = new Map<string, ValidateFunction>();

/** The AsyncAPI versions wsmock reads: every 2.x and 3.x the installed schemas know. */
export function supportedVersions(libs: SchemaLibs): string[] {
  return Object.keys(libs.specs).filter((v) => /^[23]\.\d+\.\d+$/.test(v));
}

function validatorFor(libs: SchemaLibs, version: string): ValidateFunction {
  let validate = compiled.get(version);
  if (validate === undefined) {
    // Run once per document, so compiled for a fast compile, not a fast run: Ajv's code optimiser
    // halves the compile time of these large schemas, and the official schemas need no checking.
    validate = libs.newAjv({ allErrors: true, strict: false, logger: false, code: { optimize: false }, validateSchema: false }).compile(libs.specs[version]!);
    compiled.set(version, validate);
  }
  return validate;
}

/** The deepest, most specific of Ajv's errors, one per place and rule. */
function mostSpecific(errors: readonly ErrorObject[]): ErrorObject[] {
  const depth = (e: ErrorObject) => pointerSegments(e.instancePath).length + (e.keyword === 'required' || e.keyword === 'additionalProperties' ? 1 : 0);
  const useful = errors.filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'anyOf' && e.keyword !== 'if' && e.keyword !== 'not');
  const pool = useful.length > 0 ? useful : [...errors];
  const deepest = Math.max(...pool.map(depth));
  let picked = pool.filter((e) => depth(e) === deepest);
  // A place that could be a Reference Object gets "must have $ref" from that branch: noise beside the real error.
  const withoutRef = picked.filter((e) => !(e.keyword === 'required' && (e.params as { missingProperty?: string }).missingProperty === '$ref'));
  if (withoutRef.length > 0) picked = withoutRef;
  const seen = new Set<string>();
  return picked.filter((e) => {
    const key = `${e.instancePath}\u0000${e.keyword}\u0000${JSON.stringify(e.params)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function describe(error: ErrorObject): { pointer: string; message: string } {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { pointer: `${error.instancePath}/${String(params.missingProperty).replace(/~/g, '~0').replace(/\//g, '~1')}`, message: 'is required' };
    case 'additionalProperties':
      return {
        pointer: `${error.instancePath}/${String(params.additionalProperty).replace(/~/g, '~0').replace(/\//g, '~1')}`,
        message: 'is not a field of the AsyncAPI specification here (extensions start with "x-")',
      };
    case 'enum':
      return { pointer: error.instancePath, message: `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` };
    case 'const':
      return { pointer: error.instancePath, message: `must be ${JSON.stringify(params.allowedValue)}` };
    default:
      return { pointer: error.instancePath, message: error.message ?? `fails "${error.keyword}"` };
  }
}

/**
 * Checks the document's version and its structure against the official
 * schema. Returns the version; throws `WSMOCK_ERR_INVALID_CONFIG` naming the
 * file, the JSON path and line of the most specific problems.
 */
export function validateDocument(libs: SchemaLibs, source: SourceFile, what: string): string {
  const data = source.data;
  const supported = supportedVersions(libs);
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw invalidConfig(what, [issueAt(source, '', 'must be an AsyncAPI document (a map with "asyncapi", "info", "channels", ...)')]);
  }
  const version = (data as { asyncapi?: unknown }).asyncapi;
  if (typeof version !== 'string' || !supported.includes(version)) throw unsupportedAsyncApiVersion(what, source.shown, version, supported);
  const validate = validatorFor(libs, version);
  if (validate(data)) return version;
  // One problem per place: a `type` that may be a name or a list fails twice, once per branch; the first says it best.
  const byPointer = new Map<string, string>();
  for (const error of mostSpecific(validate.errors ?? [])) {
    const { pointer, message } = describe(error);
    if (!byPointer.has(pointer)) byPointer.set(pointer, message);
  }
  const places = [...byPointer];
  const issues: ConfigIssue[] = places.slice(0, MAX_ISSUES).map(([pointer, message]) => issueAt(source, pointer, message));
  if (places.length > MAX_ISSUES) issues.push({ path: '$', message: `and ${places.length - MAX_ISSUES} more problems like these`, ...(source.shown !== undefined ? { file: source.shown } : {}) });
  throw invalidConfig(what, issues);
}

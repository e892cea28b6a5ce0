//
// What contract checking runs on, loaded with one dynamic `import()` the first
// time a mock has a contract: the loader (and through it ajv and the AsyncAPI
// schemas), classification, message building and correlation. The layer
// (layer.ts) is always part of a server; this module and what it imports are
// not, so a server without a contract never loads them.
//
export { loadAsyncApi } from './load.js';
export { classify } from './classify.js';
export { buildMessage } from './generate.js';
export { correlate } from './correlation.js';
export { loadSchemaLibs } from './libs.js';
export { ContractValidators } from './validators.js';

//
// The AsyncAPI contracts of real public APIs under test/fixtures/asyncapi
// (Kraken, Gemini; each in 2.6 and 3.0), by file name.
//
import { fileURLToPath } from 'node:url';

/** The absolute path of `test/fixtures/asyncapi/<name>`. */
export function fixture(name: string): string {
  return fileURLToPath(new URL(`../fixtures/asyncapi/${name}`, import.meta.url));
}

/** The versions each real API's contract is written in. */
export const VERSIONS = ['2.6', '3.0'] as const;

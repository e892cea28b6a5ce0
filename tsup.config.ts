import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

// One entry per public subpath of package.json's `exports`.
const entry = {
  index: 'src/index.ts',
  jest: 'src/adapters/jest.ts',
  'jest-setup': 'src/adapters/jest-setup.ts',
  playwright: 'src/adapters/playwright.ts',
  kit: 'src/kit/index.ts',
  'jest-websocket-mock': 'src/compat/jest-websocket-mock/index.ts',
};

// Vitest refuses to be loaded with require(), so its entries are ESM only. That
// also makes TypeScript read the same `vitest` declarations whichever module
// mode resolves `wsmock/vitest`, so `"types": ["wsmock/vitest"]` augments the
// `expect` the tests import.
const esmOnly = {
  vitest: 'src/adapters/vitest.ts',
  'vitest-setup': 'src/adapters/vitest-setup.ts',
};

// p-wait-for ships as ESM only. The ESM build leaves it as an ordinary import;
// the CommonJS build bundles it so that `require('wsmock')` never depends on
// require(esm) support in the user's Node version.
//
// Both builds split shared code into chunks, so `wsmock` and
// `wsmock/playwright` loaded together share one copy of the server code.
// The runners (vitest, jest's expect, @playwright/test) are optional peers and
// stay external.
//
// The CommonJS build also bundles the dependencies whose `exports` send a
// browser resolver to a browser build: `ws` (a stub without a server),
// jsonpath-plus and yaml (ES modules that `require()` cannot load). Jest's jsdom
// environment resolves every `require()` with the `browser` condition, so
// without this `require('wsmock')` fails there before any test runs, and the
// user would have to change `testEnvironmentOptions`. wsmock is a Node server
// whatever environment the test file runs in. ws's optional native helpers stay
// external: ws loads them itself when they are installed.
const bundledInCommonJs = ['p-wait-for', 'ws', 'jsonpath-plus', 'yaml'];

// Declarations leave out every member tagged `/** @internal */` (constructors
// users must not call, listen(), the pipeline's accessors, …): the published
// types show the public surface only, and etc/*.api.md (npm run api) records it.
const dtsCompilerOptions = { stripInternal: true };

// The command line rides in the ESM build, sharing its chunks; it needs no
// declarations and gets the package version compiled in.
const version = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')).version as string;

// Source maps: the ESM build ships lean maps (mappings only, no `sourcesContent`)
// that name the TypeScript files under src/, and the package ships src/ beside
// them, so a stack trace read through the maps (`node --enable-source-maps`, an
// editor's debugger) opens a file that exists in node_modules/wsmock. Embedding
// the sources instead doubled the package for a copy nobody can open by its path.
// The CommonJS build ships no maps: it bundles ws, yaml and jsonpath-plus, whose
// sources are not in the package, so its maps would point at missing files (and
// esbuild writes them with the build machine's absolute paths). Its output is
// plain, unminified JavaScript: a trace into dist/*.cjs is readable as it is.
// test/core.package.test.ts checks both, and the package's size.
const leanMaps = (options: { sourcesContent?: boolean }) => {
  options.sourcesContent = false;
};

export default defineConfig([
  {
    entry: { ...entry, ...esmOnly, cli: 'src/cli/main.ts' },
    format: ['esm'],
    dts: { entry: { ...entry, ...esmOnly }, compilerOptions: dtsCompilerOptions },
    sourcemap: true,
    esbuildOptions: leanMaps,
    clean: true,
    target: 'node20',
    define: { __WSMOCK_VERSION__: JSON.stringify(version) },
  },
  {
    entry,
    format: ['cjs'],
    dts: { compilerOptions: dtsCompilerOptions },
    sourcemap: false,
    splitting: true,
    target: 'node20',
    noExternal: [...bundledInCommonJs],
    external: ['bufferutil', 'utf-8-validate'],
    define: { __WSMOCK_VERSION__: JSON.stringify(version) },
  },
]);

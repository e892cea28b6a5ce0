import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

const entry = { index: 'src/index.ts' };

// p-wait-for ships as ESM only. The ESM build leaves it as an ordinary import;
// the CommonJS build bundles it so that `require('wsmock')` never depends on
// require(esm) support in the user's Node version.
const version = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')).version as string;

export default defineConfig([
  {
    entry,
    format: ['esm'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
  },
  {
    entry,
    format: ['cjs'],
    dts: true,
    sourcemap: true,
    target: 'node20',
    noExternal: ['p-wait-for'],
  },
  {
    // The command line: ESM only, no declarations; tsup keeps the shebang.
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    sourcemap: true,
    target: 'node20',
    define: { __WSMOCK_VERSION__: JSON.stringify(version) },
  },
]);

#!/usr/bin/env bash
# Runs one example in its own runner: examples/run.sh vitest|jest|node-test|playwright
# Run examples/install-packed.sh first (CI does).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="$root/node_modules"
cd "$root/examples/$1"
[ -f node_modules/wsmock/package.json ] || { echo "examples/$1: wsmock is not installed; run examples/install-packed.sh" >&2; exit 1; }
case "$1" in
  vitest)     node "$bin/typescript/bin/tsc" -p . && node "$bin/vitest/vitest.mjs" run ;;
  jest)       node "$bin/typescript/bin/tsc" -p . && node "$bin/jest/bin/jest.js" ;;
  node-test)  node --test test/ ;;
  playwright) node "$bin/typescript/bin/tsc" -p . && node "$bin/@playwright/test/cli.js" test ;;
  *) echo "unknown example: $1" >&2; exit 2 ;;
esac

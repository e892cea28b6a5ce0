#!/usr/bin/env bash
# Runs one example in its own runner: examples/run.sh vitest|jest|node-test|playwright|socketio|graphql|jsonrpc|sse|pusher|actioncable|phoenix|supabase|mqtt|stomp|signalr|custom-kit|asyncapi
# Run examples/install-packed.sh first (CI does).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="$root/node_modules"
cd "$root/examples/$1"
[ -f node_modules/wsmock/package.json ] || { echo "examples/$1: wsmock is not installed; run examples/install-packed.sh" >&2; exit 1; }
tsc() { node "$bin/typescript/bin/tsc" -p .; }
case "$1" in
  vitest|socketio|graphql|jsonrpc|sse|pusher|actioncable|phoenix|supabase|mqtt|stomp|signalr|custom-kit|asyncapi) tsc; node "$bin/vitest/vitest.mjs" run ;;
  jest)       tsc; node "$bin/jest/bin/jest.js" ;;
  node-test)  node --test test/ ;;
  playwright) tsc; node "$bin/@playwright/test/cli.js" test ;;
  *) echo "unknown example: $1" >&2; exit 2 ;;
esac

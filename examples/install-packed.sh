#!/usr/bin/env bash
# Packs wsmock once (as `npm publish` would) and unpacks the tarball into
# examples/<name>/node_modules/wsmock, so every example imports the published
# files, never the sources. The runners (vitest, jest, @playwright/test) and
# wsmock's own dependencies resolve from the repository's node_modules, which
# `npm ci` installed from the lockfile: nothing else is downloaded. npm pack runs
# the prepack script, which builds dist/ when it is stale and packs the published
# package.json (no development scripts), as npm publish does.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .tmp/pack
rm -f .tmp/pack/*.tgz
tarball=".tmp/pack/$(npm pack --silent --pack-destination .tmp/pack | tail -1)"
for example in vitest jest node-test playwright socketio graphql jsonrpc sse pusher actioncable phoenix supabase mqtt stomp signalr custom-kit asyncapi; do
  target="examples/$example/node_modules/wsmock"
  rm -rf "$target"
  mkdir -p "$target"
  tar xzf "$tarball" -C "$target" --strip-components=1
done
echo "installed $tarball into examples/*/node_modules/wsmock"

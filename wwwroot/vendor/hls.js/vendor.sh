#!/usr/bin/env bash
# Refreshes the vendored hls.js (light build: HLS playback without subtitles/EME) from the npm registry. The web
# client has no build step, so the file is committed; bump VERSION and run this to update it.
set -euo pipefail
cd "$(dirname "$0")"
VERSION=1.7.4
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "hls.js@$VERSION" >/dev/null && tar xzf "hls.js-$VERSION.tgz")
cp "$tmp/package/dist/hls.light.min.mjs" "$tmp/package/LICENSE" .
echo "$VERSION" > VERSION

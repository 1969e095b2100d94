#!/usr/bin/env bash
# Regenerates docs/explain.md from bench/feed/explain.sql on the seeded benchmark database.
set -euo pipefail
cd "$(dirname "$0")/../.."
{ sed -n '1,/^```$/p' docs/explain.md | sed '$d'; echo '```'; bench/feed/db.sh psql -f bench/feed/explain.sql 2>&1 | grep -v '^Pager'; echo '```'; } > docs/explain.md.new
mv docs/explain.md.new docs/explain.md

#!/usr/bin/env bash
# Every test: type check, unit tests (Node), worker tests (workerd, real D1 and
# Durable Objects), end-to-end tests (wrangler dev + the openai client).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
echo "== typecheck"
tsc -p tsconfig.json --noEmit
echo "== tests"
vitest run "$@"

#!/usr/bin/env bash
# Starts the gateway locally: local D1 migrated and seeded, built-in mock provider.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
PORT="${PORT:-8787}"
[ -f .dev.vars ] || cp .dev.vars.example .dev.vars # development BYOK master key
wrangler d1 migrations apply DB --local >/dev/null
mkdir -p .wrangler && node scripts/seed.mjs > .wrangler/seed.sql
wrangler d1 execute DB --local --file .wrangler/seed.sql >/dev/null
echo
echo "  switchyard gateway on http://127.0.0.1:$PORT"
echo "  demo API key: $(node scripts/demo-key.mjs)"
echo "  demo management key (provisioning API): $(node scripts/demo-key.mjs management)"
echo
exec wrangler dev --ip 127.0.0.1 --port "$PORT" --log-level warn "$@"

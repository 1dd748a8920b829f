#!/usr/bin/env bash
# Starts the billing worker locally on the gateway's local D1 (run scripts/dev.sh once first to migrate it).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
PORT="${PORT:-8789}"
[ -f workers/billing/.dev.vars ] || cp workers/billing/.dev.vars.example workers/billing/.dev.vars
echo
echo "  switchyard billing on http://127.0.0.1:$PORT (webhook: /billing/webhook)"
echo
exec wrangler dev -c workers/billing/wrangler.toml --persist-to .wrangler/state --ip 127.0.0.1 --port "$PORT" --log-level warn "$@"

#!/usr/bin/env bash
# Starts the dashboard locally on the gateway's local D1 (run `npm start` for the gateway first,
# or alongside: both use .wrangler/state, so an API call shows up in the dashboard at once).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
PORT="${PORT:-8788}"
STATE=".wrangler/state"
wrangler d1 migrations apply DB --local --persist-to "$STATE" >/dev/null
# Local-only secrets: a random BYOK master key, made once. Stripe stays unset (the
# credits page says so) unless you add STRIPE_SECRET_KEY / STRIPE_WEBHOOK_SECRET here.
DEV_VARS=workers/dashboard/.dev.vars
if [ ! -f "$DEV_VARS" ]; then
  echo "BYOK_MASTER_KEY=$(node -e 'process.stdout.write(require("node:crypto").randomBytes(32).toString("base64"))')" > "$DEV_VARS"
fi
echo
echo "  switchyard dashboard on http://127.0.0.1:$PORT  (sign up to start)"
echo
exec wrangler dev -c workers/dashboard/wrangler.toml --persist-to "$STATE" --ip 127.0.0.1 --port "$PORT" --log-level warn "$@"

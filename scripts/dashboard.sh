#!/usr/bin/env bash
# Starts the dashboard locally on the gateway's local D1 (run `npm start` for the gateway first,
# or alongside: both use .wrangler/state, so an API call shows up in the dashboard at once).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
PORT="${PORT:-8788}"
STATE=".wrangler/state"
wrangler d1 migrations apply DB --local --persist-to "$STATE" >/dev/null
# The gateway's demo account (its key, $10 of credits), plus a demo user who owns it.
mkdir -p .wrangler
{ node scripts/seed.mjs; node scripts/seed-dashboard.mjs; } > .wrangler/seed-dashboard.sql
wrangler d1 execute DB --local --persist-to "$STATE" --file .wrangler/seed-dashboard.sql >/dev/null
# The gateway's development BYOK master key (same file dev.sh uses), so keys added here decrypt there.
# Payments stay off (the credits page says so) unless you add STRIPE_SECRET_KEY (test mode) to
# workers/dashboard/.dev.vars and run the billing worker (npm run billing:dev) for Stripe's webhooks.
[ -f workers/dashboard/.dev.vars ] || grep '^BYOK_MASTER_KEY=' .dev.vars.example > workers/dashboard/.dev.vars
echo
echo "  switchyard dashboard on http://127.0.0.1:$PORT"
echo "  sign in as demo@switchyard.local / switchyard-demo (owns the demo key's workspace), or sign up"
echo
exec wrangler dev -c workers/dashboard/wrangler.toml --persist-to "$STATE" --ip 127.0.0.1 --port "$PORT" --log-level warn "$@"

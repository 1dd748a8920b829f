#!/usr/bin/env bash
# Every test: type check, unit tests (Node), worker tests (workerd, real D1 and
# Durable Objects), end-to-end tests (wrangler dev + the openai client), browser tests
# (the dashboard in Debian's chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
# The browser tests drive Debian's chromium through playwright-core, which downloads no browser.
if [ ! -x /usr/bin/chromium ]; then
  echo "== installing Debian's chromium for the browser tests: apt-get update && apt-get install -y chromium"
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo -n"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
  /usr/bin/chromium --version
fi
echo "== typecheck"
tsc -p tsconfig.json --noEmit
echo "== tests"
vitest run "$@"

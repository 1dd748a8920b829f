#!/usr/bin/env bash
# Installs the repo's toolchain and dependencies with pnpm (fetched through npx on
# a machine that only has Node and npm). Fast no-op when already installed.
set -euo pipefail
cd "$(dirname "$0")/.."
PNPM_VERSION=12.21.0
if [ -f node_modules/.modules.yaml ] && [ node_modules/.modules.yaml -nt pnpm-lock.yaml ] && [ "${FORCE_INSTALL:-}" != 1 ]; then
  exit 0
fi
if command -v pnpm >/dev/null 2>&1 && [ "$(pnpm --version)" = "$PNPM_VERSION" ]; then
  pnpm install --frozen-lockfile
else
  npx --yes "pnpm@$PNPM_VERSION" install --frozen-lockfile
fi
touch node_modules/.modules.yaml

# Sourced by every script: wrangler must never wait on telemetry or update checks.
export WRANGLER_SEND_METRICS=false
export WRANGLER_HIDE_BANNER=true
export NO_UPDATE_NOTIFIER=1
export CI_DISABLE_UPDATE_CHECK=1
export PATH="$PWD/node_modules/.bin:$PATH"

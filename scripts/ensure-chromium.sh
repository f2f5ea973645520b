#!/usr/bin/env bash
# The browser tests drive Debian's Chromium (never a downloaded one: `playwright install`
# is not run). Installs it when missing, as root through apt; otherwise says what to do.
set -euo pipefail
if [ -x /usr/bin/chromium ] || [ -n "${SKIP_BROWSER_TESTS:-}" ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's chromium for the browser tests…"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  /usr/bin/chromium --version
else
  echo "The browser tests need /usr/bin/chromium: run 'sudo apt-get install -y chromium' (Debian/Ubuntu)." >&2
  echo "Set SKIP_BROWSER_TESTS=1 to run the rest of the suite without them." >&2
  exit 1
fi

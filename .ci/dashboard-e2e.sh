#!/usr/bin/env bash
# Dashboard end-to-end stage: installs Debian's chromium and chromium-driver when missing, then
# builds the dashboard with its browser tests (DashboardBrowserIT, failsafe). With
# -Dtracewire.e2e.required=true a missing browser fails the build instead of skipping the tests.
# Screenshots of the main views are written to docs/images/.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  echo "== installing chromium and chromium-driver"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends chromium chromium-driver
fi
/usr/bin/chromedriver --version

echo "== dashboard: unit, server and browser tests"
mvn -B -pl dashboard -am verify -Dtracewire.e2e.required=true
echo "dashboard e2e finished"

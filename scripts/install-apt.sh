#!/bin/sh
# System packages the tests need from Debian: chromium for the app's browser tests (Playwright
# drives it through executable_path; no browser is ever downloaded). Runs apt only when missing.
set -eu
if [ ! -x /usr/bin/chromium ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends chromium
fi

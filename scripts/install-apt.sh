#!/bin/sh
# System packages the tests need from Debian, installed only when missing (quiet unless apt fails):
# - chromium for the app's browser tests (Playwright drives it through executable_path; no browser
#   is ever downloaded);
# - fonts-noto-ui-core (1.4 MB download, 5 MB installed): the smallest Noto package with Devanagari
#   and Tamil (and the other Indic scripts); without it, Hindi and Tamil item names are boxes in
#   the screenshots. (fonts-noto-core has them too, but is 12 MB / 42 MB.)
# - caddy, so the tests check the production Caddyfile with Caddy itself (`caddy adapt`; the
#   package's service is never started).
set -eu
missing=""
for package in chromium fonts-noto-ui-core caddy; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing="$missing $package"
done
[ -n "$missing" ] || exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "install-apt.sh: installing$missing"
$SUDO apt-get update -qq
# shellcheck disable=SC2086 # one word per package
$SUDO env DEBIAN_FRONTEND=noninteractive DEBCONF_NOWARNINGS=yes apt-get install -y -qq --no-install-recommends $missing >/dev/null

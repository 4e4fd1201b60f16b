#!/bin/sh
# Debian's chromium, for the explorer's browser test (playwright-core drives it;
# no browser is downloaded by npm). Does nothing when it is already installed.
set -e
[ -x /usr/bin/chromium ] && exit 0
if [ "$(id -u)" -ne 0 ]; then echo "install-chromium: run as root (apt-get install -y chromium)" >&2; exit 1; fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium

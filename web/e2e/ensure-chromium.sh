#!/bin/sh
# Installs Debian's Chromium for the end-to-end tests when it is missing.
# Only Debian's packages are used: no tool that downloads a browser of its own.
set -eu
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then
	exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
	echo "ensure-chromium: $CHROMIUM is missing and apt-get is not available; install Chromium and set CHROMIUM=/path/to/it" >&2
	exit 1
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then
	SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
# A fresh machine's package lists may be missing or stale: update and retry once.
$SUDO apt-get install -y --no-install-recommends chromium ||
	{ $SUDO apt-get update && $SUDO apt-get install -y --no-install-recommends chromium; }
[ -x "$CHROMIUM" ] || { echo "ensure-chromium: $CHROMIUM still missing after install" >&2; exit 1; }

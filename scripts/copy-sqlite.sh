#!/usr/bin/env bash
# copy-sqlite.sh SRC DST: copies a SQLite database file that no process is
# writing, with its write-ahead log if it has one, without opening it: the
# source is only read, so a shared or reference database stays as it is.
# (Opening it, even read-only, may create or checkpoint its -wal and -shm.)
set -euo pipefail
src="$1" dst="$2"
rm -f "$dst" "$dst-wal" "$dst-shm"
cp "$src" "$dst"
if [ -s "$src-wal" ]; then cp "$src-wal" "$dst-wal"; fi

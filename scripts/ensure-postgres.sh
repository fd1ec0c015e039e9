#!/usr/bin/env bash
# Makes sure the local PostgreSQL used by the test suite answers, starting the
# cluster if it is installed but stopped. Fails loudly if it cannot.
set -euo pipefail
url="${ATTAIN_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test?sslmode=disable}"
if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then exit 0; fi
if ! command -v pg_ctlcluster >/dev/null; then
  if command -v apt-get >/dev/null; then
    echo "installing PostgreSQL" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  else
    echo "PostgreSQL is not installed and cannot be installed here" >&2; exit 1
  fi
fi
version="$(ls /etc/postgresql | sort -V | tail -1)"
pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p 5432 && break
  sleep 1
done
pg_isready -h 127.0.0.1 -p 5432 || { echo "PostgreSQL did not start" >&2; exit 1; }
# The test database must exist.
psql "${url%%\?*}" -c 'select 1' >/dev/null 2>&1 || \
  su postgres -c "createdb test" 2>/dev/null || true
psql "$url" -c 'select 1' >/dev/null

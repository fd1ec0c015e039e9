#!/usr/bin/env bash
# The storage benchmarks at scale: create, update and move a deal, log an
# activity, a deal's record page, filtered lists and search, each beside its
# raw-driver baseline, inside a demo workspace of DEALS deals (SQLite). The
# demo database is generated once into SCALE_DIR and reused; the benchmarks
# run on a copy, so the original stays as generated. SCALE_DB names an
# existing demo database to use instead (read, copied, never written):
#
#   DEALS=1000000 REPS=100 scripts/bench-scale.sh
#   SCALE_DB=/data/attain.db DEALS=1000000 scripts/bench-scale.sh
#
#   DEALS=1000000      deals in the demo workspace (ten activities each)
#   REPS=100           reps in the demo workspace
#   SCALE_DIR=data-scale-$DEALS   where the generated database is kept
#   SCALE_DB=          an existing `attain demo` database; SCALE_DIR is then unused
#   BENCH='Deal|Search|Activity'  go test -bench pattern
#   BENCHTIME=500x     go test -benchtime
#   OUT=docs/bench/YYYY-MM-DD-scale-$DEALS.md
set -euo pipefail
cd "$(dirname "$0")/.."

DEALS="${DEALS:-1000000}"
REPS="${REPS:-100}"
SCALE_DIR="${SCALE_DIR:-data-scale-$DEALS}"
SCALE_DB="${SCALE_DB:-}"
BENCH="${BENCH:-Deal|Search|Activity}"
BENCHTIME="${BENCHTIME:-500x}"
OUT="${OUT:-docs/bench/$(date -u +%F)-scale-$DEALS.md}"
GO="${GO:-go}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

"$GO" build -o "$work/attain" ./cmd/attain
"$GO" build -o "$work/benchreport" ./scripts/benchreport
if [ -n "$SCALE_DB" ]; then
  if [ ! -f "$SCALE_DB" ]; then echo "bench-scale: SCALE_DB=$SCALE_DB: no such file" >&2; exit 2; fi
  src="$SCALE_DB"
else
  src="$SCALE_DIR/attain.db"
  if [ ! -f "$src" ]; then
    echo "bench-scale: generating $DEALS deals into $SCALE_DIR" >&2
    start=$(date +%s)
    ATTAIN_DATA_DIR="$SCALE_DIR" "$work/attain" demo --deals "$DEALS" --reps "$REPS" >/dev/null
    echo "bench-scale: generated in $(( $(date +%s) - start )) s" >&2
  fi
fi
echo "bench-scale: copying $src ($(du -h "$src" | cut -f1))" >&2
scripts/copy-sqlite.sh "$src" "$work/scale.db"

echo "bench-scale: go test -bench '$BENCH' -benchtime $BENCHTIME at $DEALS deals" >&2
ATTAIN_BENCH_DB="$work/scale.db" "$GO" test ./store -run '^$' -bench "$BENCH" -benchtime "$BENCHTIME" -timeout 2h | tee "$work/gobench.txt" >&2

mkdir -p "$(dirname "$OUT")"
{
  echo "# Storage benchmarks at $DEALS deals ($(date -u +%F))"
  echo
  echo "\`${SCALE_DB:+SCALE_DB=$SCALE_DB }DEALS=$DEALS REPS=$REPS BENCHTIME=$BENCHTIME scripts/bench-scale.sh\` on $(nproc) cores, load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo "SQLite, the demo workspace ($DEALS deals, $(du -h "$src" | cut -f1) database$([ -n "$SCALE_DB" ] && echo ", $SCALE_DB")). Each row is an Attain store operation beside its raw-driver baseline (XRaw)."
  echo
  "$work/benchreport" < "$work/gobench.txt"
} > "$OUT"
echo "bench-scale: wrote $OUT" >&2

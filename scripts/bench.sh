#!/usr/bin/env bash
# make bench: the Go benchmarks (SQLite, and PostgreSQL when it answers) with
# their raw-driver baselines, then the load generator against a server on a
# demo workspace of each engine, beside the bare net/http ceiling. Writes
# docs/bench/YYYY-MM-DD.md (UTC date). Sizes come from the environment:
#
#   DEALS=10000      deals in the demo workspace (1000000 for the budget)
#   REPS=25          reps in the demo workspace (100 for the budget)
#   CLIENTS=32       concurrent load test clients
#   DURATION=20s     load test duration (and again for the ceiling)
#   IMPORT_ROWS=100000  rows of the CSV import measured (0 skips it)
#   BENCHTIME=1s     go test -benchtime
#   BENCH=.          go test -bench pattern; BENCH=none skips the Go benchmarks
#   ENGINES="sqlite postgres"   engines of the load test
#   BENCH_AS=admin   whose token the load test uses: admin, manager or rep
#   BENCH_PORT=18090 the server's port
#   SCALE_DB=        an existing `attain demo` SQLite database (e.g. a 1M-deal
#                    one): the SQLite load test runs on a copy of it instead of
#                    generating DEALS deals; set DEALS to its size. Never written.
#   SCALE_PG=        the same for PostgreSQL: the name of an existing database
#                    on the server of ATTAIN_TEST_POSTGRES_URL holding an
#                    `attain demo` workspace; the load test runs on a copy
#                    (CREATE DATABASE ... TEMPLATE, so nobody may be connected
#                    to it). Never written.
#   OUT=docs/bench/YYYY-MM-DD.md
set -euo pipefail
cd "$(dirname "$0")/.."

DEALS="${DEALS:-10000}"
REPS="${REPS:-25}"
CLIENTS="${CLIENTS:-32}"
DURATION="${DURATION:-20s}"
BENCHTIME="${BENCHTIME:-1s}"
BENCH="${BENCH:-.}"
ENGINES="${ENGINES:-sqlite postgres}"
BENCH_AS="${BENCH_AS:-admin}"
PORT="${BENCH_PORT:-18090}"
IMPORT_ROWS="${IMPORT_ROWS:-100000}"
OUT="${OUT:-docs/bench/$(date -u +%F).md}"
PG_URL="${ATTAIN_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test?sslmode=disable}"
GO="${GO:-go}"
SCALE_DB="${SCALE_DB:-}"
SCALE_PG="${SCALE_PG:-}"
if [ -n "$SCALE_DB" ] && [ ! -f "$SCALE_DB" ]; then echo "bench: SCALE_DB=$SCALE_DB: no such file" >&2; exit 2; fi
if [ -n "$SCALE_PG" ] && ! [[ "$SCALE_PG" =~ ^[a-z_][a-z0-9_]*$ ]]; then echo "bench: SCALE_PG=$SCALE_PG: not a database name" >&2; exit 2; fi

work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

pg_up=""
if command -v psql >/dev/null && psql "$PG_URL" -qAt -c 'select 1' >/dev/null 2>&1; then pg_up=1; fi

echo "bench: building" >&2
"$GO" build -o "$work/attain" ./cmd/attain
"$GO" build -o "$work/benchreport" ./scripts/benchreport
bin="$work/attain"

mkdir -p "$(dirname "$OUT")"
{
  echo "# Benchmarks $(date -u '+%F %H:%M') UTC"
  echo
  echo "- commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo ' (with uncommitted changes)')"
  echo "- machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo) RAM"
  echo "- $("$GO" version | cut -d' ' -f3-), PostgreSQL: $( [ -n "$pg_up" ] && psql "$PG_URL" -qAt -c 'show server_version' || echo 'not reachable')"
  echo "- sizes: ${SCALE_DB:+SCALE_DB=$SCALE_DB }${SCALE_PG:+SCALE_PG=$SCALE_PG }DEALS=$DEALS REPS=$REPS CLIENTS=$CLIENTS DURATION=$DURATION BENCHTIME=$BENCHTIME BENCH_AS=$BENCH_AS IMPORT_ROWS=$IMPORT_ROWS"
  echo "- reproduce: \`make bench ${SCALE_DB:+SCALE_DB=$SCALE_DB }${SCALE_PG:+SCALE_PG=$SCALE_PG }DEALS=$DEALS REPS=$REPS CLIENTS=$CLIENTS DURATION=$DURATION BENCHTIME=$BENCHTIME\`"
  echo
} > "$work/report.md"

# 1. Go benchmarks, each beside its raw-driver baseline (the XRaw benchmark).
if [ "$BENCH" != "none" ]; then
  echo "bench: go test -bench '$BENCH' -benchtime $BENCHTIME" >&2
  pkgs="$(grep -rl --include='*_test.go' '^func Benchmark' . | grep -v node_modules | xargs -n1 dirname | sort -u | tr '\n' ' ')"
  env_pg=()
  if [ -n "$pg_up" ]; then env_pg=(ATTAIN_TEST_POSTGRES_URL="$PG_URL"); else env_pg=(ATTAIN_TEST_POSTGRES_URL=); fi
  # shellcheck disable=SC2086
  env "${env_pg[@]}" "$GO" test -run '^$' -bench "$BENCH" -benchtime "$BENCHTIME" -benchmem -timeout 60m $pkgs 2>&1 | tee "$work/gobench.txt" >&2 || true
  {
    echo "## Go benchmarks (testing.B)"
    echo
    echo "Ratio = time per operation ÷ the raw-driver baseline's (the same row written or read by one"
    echo "statement through database/sql, nothing else); lower is better, 1.0× is the driver itself."
    echo
    "$work/benchreport" < "$work/gobench.txt"
    if grep -q -- '--- FAIL' "$work/gobench.txt"; then
      echo; echo "Failed benchmarks:"; echo; grep -A2 -- '--- FAIL' "$work/gobench.txt" | sed 's/^/    /'
    fi
    echo
  } >> "$work/report.md"
fi

# 2. The load test against a real server over a demo workspace, per engine.
wait_ready() {
  for _ in $(seq 1 600); do
    if curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1; then return 0; fi
    if ! kill -0 "$server_pid" 2>/dev/null; then echo "bench: the server exited" >&2; cat "$work/serve.log" >&2; return 1; fi
    sleep 0.5
  done
  echo "bench: the server did not become ready" >&2; return 1
}

for engine in $ENGINES; do
  case "$engine" in
    sqlite) db_url="$work/sqlite/attain.db"; mkdir -p "$work/sqlite" ;;
    postgres)
      if [ -z "$pg_up" ]; then echo "bench: PostgreSQL not reachable; skipping its load test" >&2; continue; fi
      psql "$PG_URL" -q -c 'DROP DATABASE IF EXISTS attain_bench' >/dev/null
      if [ -n "$SCALE_PG" ]; then
        echo "bench: $engine: copying database $SCALE_PG" >&2
        psql "$PG_URL" -q -c "CREATE DATABASE attain_bench TEMPLATE $SCALE_PG" >/dev/null
      else
        psql "$PG_URL" -q -c 'CREATE DATABASE attain_bench' >/dev/null
      fi
      db_url="${PG_URL%%/test\?*}/attain_bench?sslmode=disable" ;;
    *) echo "bench: unknown engine $engine" >&2; exit 2 ;;
  esac
  flags=(--database-url "$db_url" --data-dir "$work/$engine-data" --log-level warn)
  populate=0 demo_ms=""
  scaled=""
  if [ "$engine" = sqlite ] && [ -n "$SCALE_DB" ]; then
    echo "bench: $engine: copying $SCALE_DB ($(du -h "$SCALE_DB" | cut -f1))" >&2
    scripts/copy-sqlite.sh "$SCALE_DB" "$db_url"
    scaled="a copy of \`$SCALE_DB\`"
  elif [ "$engine" = postgres ] && [ -n "$SCALE_PG" ]; then
    scaled="a copy of the PostgreSQL database \`$SCALE_PG\`"
  fi
  if [ -n "$scaled" ]; then
    "$bin" migrate "${flags[@]}" >&2
    # attain users list: ID EMAIL NAME... ROLE; the first user of the role.
    email="$("$bin" users list "${flags[@]}" | awk -v r="$BENCH_AS" '$NF == r && !found { print $2; found = 1 }')"
  elif "$bin" demo --help >/dev/null 2>&1; then
    echo "bench: $engine: attain demo --deals $DEALS --reps $REPS" >&2
    start=$(date +%s%N)
    "$bin" demo "${flags[@]}" --deals "$DEALS" --reps "$REPS" --quiet > "$work/demo.txt"
    demo_ms=$(( ($(date +%s%N) - start) / 1000000 ))
    cat "$work/demo.txt" >&2
    case "$BENCH_AS" in
      admin) email="$(sed -n 's/^ *Sign in as: *//p' "$work/demo.txt")" ;;
      manager) email="$(sed -n 's/^ *Manager: *\([^ ]*\).*/\1/p' "$work/demo.txt")" ;;
      rep) email="$(sed -n 's/^ *Rep: *\([^ ]*\).*/\1/p' "$work/demo.txt")" ;;
    esac
  else
    echo "bench: $engine: no demo generator; creating $DEALS deals through the API" >&2
    email="admin@example.com" populate="$DEALS" demo_ms=""
  fi
  import_line=""
  if [ "$IMPORT_ROWS" -gt 0 ] && "$bin" import --help >/dev/null 2>&1; then
    echo "bench: $engine: attain import of $IMPORT_ROWS accounts" >&2
    awk -v n="$IMPORT_ROWS" 'BEGIN { print "Name,Website,Industry,City"
      for (i = 1; i <= n; i++) printf "Bench Company %d,https://bench%d.example,Software,Lyon\n", i, i }' > "$work/accounts.csv"
    start=$(date +%s%N)
    if "$bin" import "${flags[@]}" --kind accounts "$work/accounts.csv" > "$work/import.txt" 2>&1; then
      import_ms=$(( ($(date +%s%N) - start) / 1000000 ))
      import_line="CSV import: $IMPORT_ROWS account rows in $((import_ms / 1000)).$(( (import_ms % 1000) / 100 )) s = $(( IMPORT_ROWS * 1000 / (import_ms > 0 ? import_ms : 1) )) rows/s (\`attain import --kind accounts\`, the whole command)."
    else
      import_line="CSV import failed: $(tail -1 "$work/import.txt")"
    fi
    rm -f "$work/accounts.csv"
  fi
  "$bin" serve "${flags[@]}" --addr "127.0.0.1:$PORT" > "$work/serve.log" 2>&1 &
  server_pid=$!
  wait_ready
  token="$("$bin" tokens create "${flags[@]}" --email "$email" --name bench | tail -1)"
  rss_before="$(curl -fsS "http://127.0.0.1:$PORT/metrics" | awk '/^process_resident_memory_bytes/ {printf "%.1f MiB", $2/1048576}')"
  # The first company dashboard loads the workspace's analytics model.
  model_s="$(curl -fsS -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $token" "http://127.0.0.1:$PORT/api/v1/dashboards/company")"
  rss_model="$(awk '/^VmRSS/ {printf "%.0f MiB", $2/1024}' "/proc/$server_pid/status")"
  echo "bench: $engine: attain loadtest --clients $CLIENTS --duration $DURATION" >&2
  "$bin" loadtest --url "http://127.0.0.1:$PORT" --token "$token" --clients "$CLIENTS" --duration "$DURATION" \
    --deals "$DEALS" --populate "$populate" > "$work/load-$engine.md"
  # The budget's create figure: creates alone from the same clients, beside
  # the raw insert-per-transaction benchmarks (DealCreateRaw, ...Parallel).
  echo "bench: $engine: attain loadtest --mix create=1" >&2
  "$bin" loadtest --url "http://127.0.0.1:$PORT" --token "$token" --clients "$CLIENTS" --duration "$DURATION" \
    --deals "$DEALS" --mix create=1 --ceiling=false > "$work/create-$engine.md"
  rss_peak="$(awk '/^VmHWM/ {printf "%.0f MiB", $2/1024}' "/proc/$server_pid/status")"
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
  {
    echo "## Load test on $engine ($DEALS deals, as $BENCH_AS $email)"
    echo
    if [ -n "$demo_ms" ]; then echo "Demo workspace generated in $((demo_ms / 1000)).$(( (demo_ms % 1000) / 100 )) s (\`attain demo\`, including migration)."; fi
    if [ -n "$scaled" ]; then echo "The demo workspace is $scaled."; fi
    if [ -n "$import_line" ]; then echo "$import_line"; fi
    echo "Server resident memory after start: $rss_before; after the first company dashboard (which loads the analytics model, ${model_s} s): $rss_model; peak over the runs (VmHWM): $rss_peak."
    echo
    cat "$work/load-$engine.md"
    echo
    echo "### Creates alone on $engine"
    echo
    cat "$work/create-$engine.md"
    echo
  } >> "$work/report.md"
  if [ "$engine" = postgres ]; then psql "$PG_URL" -q -c 'DROP DATABASE IF EXISTS attain_bench' >/dev/null || true; fi
  rm -rf "$work/sqlite" "$work/$engine-data"
  cp "$work/report.md" "$OUT" # what is done so far survives a later engine's failure
done

cp "$work/report.md" "$OUT"
echo "bench: wrote $OUT" >&2

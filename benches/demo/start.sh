#!/usr/bin/env bash
# How long `skranke demo` takes to serve on a fresh SQLite file: from the start of the
# process until /health answers, the year of history written first. Runs it RUNS times
# (default 3) and prints each time, and with SKRANKE_LOG=debug the demo's own phases.
#
#   cargo build --release && bash benches/demo/start.sh [path/to/skranke]
#   RUNS=5 SKRANKE_LOG=debug bash benches/demo/start.sh
set -euo pipefail
binary=${1:-target/release/skranke}
port=${PORT:-18555}
for run in $(seq "${RUNS:-3}"); do
  dir=$(mktemp -d)
  started=$(date +%s.%N)
  SKRANKE_DATABASE_URL="sqlite://$dir/demo.db" SKRANKE_BIND="127.0.0.1:$port" \
    SKRANKE_DEMO_PASSWORD=demo-kodeord-1 SKRANKE_LOG=${SKRANKE_LOG:-warn} "$binary" demo >"$dir/out" 2>&1 &
  server=$!
  until curl -sf "http://127.0.0.1:$port/health" >/dev/null; do
    kill -0 "$server" 2>/dev/null || { cat "$dir/out"; exit 1; }
    sleep 0.02
  done
  ended=$(date +%s.%N)
  kill "$server"
  wait "$server" 2>/dev/null || true
  grep -o 'demo: .*' "$dir/out" || true
  python3 -c "import sys; print('run %s: serving after %.2f s' % (sys.argv[1], float(sys.argv[3]) - float(sys.argv[2])))" "$run" "$started" "$ended"
  rm -rf "$dir"
done

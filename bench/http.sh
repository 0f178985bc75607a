#!/usr/bin/env bash
# Foundation benchmarks (issue: platform foundation):
#   cold start to healthy (empty data dir), idle memory, and requests/s of
#   GET /healthz and an authenticated GET /api/v1/orgs, beside a bare axum
#   hello-world built from this workspace as the ceiling.
# Needs wrk (Debian package `wrk`; installed if missing and running as root).
# Usage: bench/http.sh [duration-seconds]   (default 10)
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${1:-10}"
THREADS=2
CONNS=64
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target}"

if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" = 0 ]; then apt-get install -y -qq wrk >/dev/null; else echo "install wrk first" >&2; exit 1; fi
fi

echo "building release binaries..." >&2
cargo build --release -q -p gongshu --bin gongshu --example hello
BIN="$CARGO_TARGET_DIR/release/gongshu"
HELLO="$CARGO_TARGET_DIR/release/examples/hello"
WORK="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT

port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_healthy() { until curl -fs "http://127.0.0.1:$1/healthz" >/dev/null 2>&1; do sleep 0.005; done; }

# 1. Cold start to healthy with an empty data dir (median of 5).
starts=()
for i in 1 2 3 4 5; do
  p=$(port); d="$WORK/cold$i"
  t0=$(date +%s%N)
  "$BIN" serve --addr "127.0.0.1:$p" --data-dir "$d" >/dev/null 2>&1 &
  pid=$!
  wait_healthy "$p"
  t1=$(date +%s%N)
  starts+=($(( (t1 - t0) / 1000000 )))
  kill $pid; wait $pid 2>/dev/null || true
done
cold=$(printf '%s\n' "${starts[@]}" | sort -n | sed -n 3p)

# 2. The demo server, idle memory after start.
P=$(port)
"$BIN" serve --demo --addr "127.0.0.1:$P" --data-dir "$WORK/demo" >/dev/null 2>&1 &
SERVER=$!
wait_healthy "$P"
sleep 1
rss_kb=$(awk '/VmRSS/ {print $2}' /proc/$SERVER/status)
TOKEN=$("$BIN" token create --user admin --name bench --data-dir "$WORK/demo" 2>/dev/null)

H=$(port)
"$HELLO" "127.0.0.1:$H" &
until curl -fs "http://127.0.0.1:$H/" >/dev/null 2>&1; do sleep 0.005; done

rate() { wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" "$@" 2>/dev/null | awk '/Requests\/sec/ {printf "%d", $2}'; }
r_hello=$(rate "http://127.0.0.1:$H/")
r_health=$(rate "http://127.0.0.1:$P/healthz")
r_orgs=$(rate -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$P/api/v1/orgs")
rss_after_kb=$(awk '/VmRSS/ {print $2}' /proc/$SERVER/status)

echo
echo "| measure | target | result |"
echo "|---|---|---|"
echo "| cold start to healthy, empty data dir (median of 5) | < 1000 ms | ${cold} ms |"
echo "| idle memory (RSS) after demo start | < 60 MB | $((rss_kb / 1024)) MB |"
echo "| GET / on bare axum hello-world (ceiling) | – | ${r_hello} req/s |"
echo "| GET /healthz | ≥ 20000 req/s | ${r_health} req/s |"
echo "| GET /api/v1/orgs with a bearer token (25 orgs, SQLite) | ≥ 5000 req/s | ${r_orgs} req/s |"
echo "| memory (RSS) after the load | – | $((rss_after_kb / 1024)) MB |"
echo
echo "wrk: $THREADS threads, $CONNS connections, ${DURATION}s per row; $(nproc) cores, $(awk '/MemTotal/ {printf "%d GiB", $2/1048576}' /proc/meminfo); $(uname -sr)"

#!/usr/bin/env bash
# Catalog benchmarks (issue: the unified catalog): import of 10,000 entries (70,000 item
# rows) through `gongshu catalog import`, and the render time of an entry's console page.
# Usage: bench/catalog.sh [entries]   (default 10000)
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-10000}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target}"
cargo build --release -q -p gongshu --bin gongshu
BIN="$CARGO_TARGET_DIR/release/gongshu"
WORK="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT
python3 bench/gen_catalog.py "$N" "$WORK/catalog.csv"
"$BIN" org import crates/gongshu/demo/weihai-orgs.csv --data-dir "$WORK/d" >/dev/null
t0=$(date +%s%N)
"$BIN" catalog import "$WORK/catalog.csv" --publish --data-dir "$WORK/d" >/dev/null
t1=$(date +%s%N)
import_ms=$(( (t1 - t0) / 1000000 ))
rows=$(( $(wc -l < "$WORK/catalog.csv") - 1 ))

P=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$BIN" serve --addr "127.0.0.1:$P" --data-dir "$WORK/d" >/dev/null 2>&1 &
until curl -fs "http://127.0.0.1:$P/healthz" >/dev/null 2>&1; do sleep 0.05; done
"$BIN" user create --username bench --name bench --role auditor --password benchmark-password --data-dir "$WORK/d" >/dev/null
TOKEN=$("$BIN" token create --user bench --data-dir "$WORK/d" 2>/dev/null)
ID=$(curl -fs -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$P/api/v1/catalog/entries?limit=1&offset=5000" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
times=()
for i in $(seq 1 200); do
  times+=($(curl -fs -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$P/console/catalog/$ID"))
done
p50=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int(NR*0.5)]*1000}')
p95=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int(NR*0.95)]*1000}')
echo
echo "| measure | target | result |"
echo "|---|---|---|"
echo "| import $N entries ($rows item rows), published, SQLite | < 10 s | $((import_ms / 1000)).$(( (import_ms % 1000) / 100 )) s |"
echo "| entry page render (console, 200 requests) p50 / p95 | < 20 ms | $p50 ms / $p95 ms |"
echo
echo "$(nproc) cores; $(uname -sr)"

#!/usr/bin/env bash
# Open data benchmarks (issue: open data portal), side by side in one run on the demo:
#   - CKAN package_show and package_search requests/s (targets: 10,000 and 2,000 on 2 cores), with wrk;
#   - a 1 GB CSV download from gongshu against nginx serving a file of the same size from disk
#     (target: at least half nginx's rate), and gongshu's memory while it streams (flat);
#   - how long the first download of a version takes (the released file is made once).
# Needs wrk and nginx (Debian packages; installed if missing and running as root).
# Usage: bench/open.sh [megabytes] [duration-seconds]   (defaults 1024 and 10)
set -euo pipefail
cd "$(dirname "$0")/.."
MB="${1:-1024}"
DURATION="${2:-10}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target}"
for tool in wrk nginx; do
  if ! command -v "$tool" >/dev/null && ! [ -x "/usr/sbin/$tool" ]; then
    if [ "$(id -u)" = 0 ]; then DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$tool" >/dev/null; else echo "install $tool first" >&2; exit 1; fi
  fi
done
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
echo "building release binaries..." >&2
cargo build --release -q -p gongshu --bin gongshu --example gen_records
BIN="$CARGO_TARGET_DIR/release/gongshu"
WORK="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null; rm -rf "$WORK"' EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_healthy() { until curl -fs "http://127.0.0.1:$1/healthz" >/dev/null 2>&1; do sleep 0.05; done; }
D="$WORK/d"

# The demo, then one unconditionally open entry with a large version (ten items, three masked).
P=$(port)
"$BIN" serve --demo --addr "127.0.0.1:$P" --data-dir "$D" >/dev/null 2>&1 &
SERVER=$!
wait_healthy "$P"
kill $SERVER; wait $SERVER 2>/dev/null || true
python3 bench/bench_entry.py "$WORK/entry.csv" --open
"$BIN" catalog import "$WORK/entry.csv" --publish --data-dir "$D" >/dev/null
echo "generating and loading a ${MB} MB file..." >&2
"$CARGO_TARGET_DIR/release/examples/gen_records" "$WORK/records.csv" "$MB"
"$BIN" data load --resource 1010010/90001 "$WORK/records.csv" --data-dir "$D" >/dev/null
rm -f "$WORK/records.csv"

P=$(port)
"$BIN" serve --addr "127.0.0.1:$P" --data-dir "$D" >/dev/null 2>&1 &
SERVER=$!
wait_healthy "$P"
BASE="http://127.0.0.1:$P"
NAME=$(curl -fs "$BASE/api/3/action/package_list" | python3 -c "import json,sys; print(json.load(sys.stdin)['result'][0])")
COUNT=$(curl -fs "$BASE/api/3/action/package_list" | python3 -c "import json,sys; print(len(json.load(sys.stdin)['result']))")

rps() { wrk -t2 -c64 -d"${DURATION}s" "$1" | awk '/Requests\/sec/ {printf "%.0f", $2}'; }
lat() { wrk -t2 -c64 -d"${DURATION}s" --latency "$1" | awk '/ 99%/ {print $2}'; }
show_rps=$(rps "$BASE/api/3/action/package_show?id=$NAME")
search_rps=$(rps "$BASE/api/3/action/package_search?rows=10")
words_rps=$(rps "$BASE/api/3/action/package_search?q=%E4%BA%BA%E5%8F%A3&rows=10&facet.field=%5B%22organization%22%5D")

# The large download: made once (timed), then streamed; nginx serves a file of the same size.
t0=$(date +%s%N)
curl -fs -o /dev/null "$BASE/open/download/1010010-90001.csv"
t1=$(date +%s%N)
first_ms=$(( (t1 - t0) / 1000000 ))
echo 5 > "/proc/$SERVER/clear_refs" 2>/dev/null || true
rss_before=$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$SERVER/status")
speeds=()
for i in 1 2 3; do speeds+=($(curl -fs -o /dev/null -w '%{speed_download}' "$BASE/open/download/1010010-90001.csv")); done
peak=$(awk '/VmHWM/ {print int($2/1024)}' "/proc/$SERVER/status")
EXPORT=$(find "$D/exports" -name data.csv -size +1M | head -1)
SIZE=$(stat -c %s "$EXPORT")
mkdir -p "$WORK/www"
head -c "$SIZE" /dev/urandom > "$WORK/www/big.csv"
NP=$(port)
cat > "$WORK/nginx.conf" <<NGX
daemon on; pid $WORK/nginx.pid; worker_processes 2; error_log $WORK/nginx.err;
events { worker_connections 64; }
http { access_log off; sendfile on; tcp_nopush on; client_body_temp_path $WORK; proxy_temp_path $WORK; fastcgi_temp_path $WORK; uwsgi_temp_path $WORK; scgi_temp_path $WORK;
  server { listen 127.0.0.1:$NP; root $WORK/www; } }
NGX
"$NGINX" -c "$WORK/nginx.conf" -p "$WORK"
until curl -fs -o /dev/null "http://127.0.0.1:$NP/big.csv" --max-time 60; do sleep 0.1; done
nspeeds=()
for i in 1 2 3; do nspeeds+=($(curl -fs -o /dev/null -w '%{speed_download}' "http://127.0.0.1:$NP/big.csv")); done
median() { printf '%s\n' "$@" | sort -n | sed -n 2p; }
g=$(median "${speeds[@]}"); n=$(median "${nspeeds[@]}")

echo
echo "demo: $COUNT open datasets; download: $(( SIZE / 1000000 )) MB of released CSV"
echo
echo "| measure | target | result |"
echo "|---|---|---|"
echo "| CKAN package_show | ≥ 10,000 req/s | $(printf "%'d" "$show_rps") req/s |"
echo "| CKAN package_search (rows=10) | ≥ 2,000 req/s | $(printf "%'d" "$search_rps") req/s |"
echo "| CKAN package_search (Chinese words, a facet) | ≥ 2,000 req/s | $(printf "%'d" "$words_rps") req/s |"
echo "| 1 GB CSV download, gongshu | ≥ half nginx | $(python3 -c "print(f'{$g/1e6:.0f}')") MB/s |"
echo "| same size from disk, nginx | (reference) | $(python3 -c "print(f'{$n/1e6:.0f}')") MB/s |"
echo "| gongshu rate / nginx rate | ≥ 0.5 | $(python3 -c "print(f'{$g/$n:.2f}')") |"
echo "| server memory while streaming | flat | ${rss_before} MB before, peak ${peak} MB |"
echo "| first download of the version (made once) | (reference) | $(python3 -c "print(f'{$first_ms/1000:.1f}')") s |"
echo
echo "$(nproc) cores; $(uname -sr); wrk -t2 -c64 ${DURATION}s; $("$NGINX" -v 2>&1)"

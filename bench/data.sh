#!/usr/bin/env bash
# Data benchmarks (issue: data aggregation and quality), side by side in one run:
#   - `gongshu data load` of a 10-column CSV (citizen IDs, credit codes, dates, times) into a Parquet
#     version, against DuckDB's read_csv → Parquet on the same file (DuckDB from PyPI, used only here);
#   - peak memory of the load (target: under 500 MB whatever the size);
#   - `gongshu data check` rows per second (target: over 1 million).
# Usage: bench/data.sh [megabytes]   (default 1024)
set -euo pipefail
cd "$(dirname "$0")/.."
MB="${1:-1024}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target}"
cargo build --release -q -p gongshu --bin gongshu --example gen_records
BIN="$CARGO_TARGET_DIR/release/gongshu"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
python3 -c "import duckdb" 2>/dev/null || python3 -m pip install -q duckdb
echo "generating a ${MB} MB file…" >&2
"$CARGO_TARGET_DIR/release/examples/gen_records" "$WORK/records.csv" "$MB"
BYTES=$(stat -c %s "$WORK/records.csv")
ROWS=$(( $(wc -l < "$WORK/records.csv") - 1 ))

# An entry with the file's ten items, published.
"$BIN" org import crates/gongshu/demo/weihai-orgs.csv --data-dir "$WORK/d" >/dev/null
python3 bench/bench_entry.py "$WORK/entry.csv"
"$BIN" catalog import "$WORK/entry.csv" --publish --data-dir "$WORK/d" >/dev/null

peak_of() { grep -E "Maximum resident set size" "$1" | awk '{printf "%.0f", $NF/1024}'; }
t0=$(date +%s%N)
/usr/bin/time -v "$BIN" data load --resource 1010010/90001 "$WORK/records.csv" --data-dir "$WORK/d" >/dev/null 2>"$WORK/load.time"
t1=$(date +%s%N)
load_ms=$(( (t1 - t0) / 1000000 ))
load_peak=$(peak_of "$WORK/load.time")

t0=$(date +%s%N)
python3 - "$WORK/records.csv" "$WORK/duck.parquet" <<'PY'
import duckdb, sys
duckdb.sql(f"COPY (SELECT * FROM read_csv('{sys.argv[1]}', header=true)) TO '{sys.argv[2]}' (FORMAT parquet)")
PY
t1=$(date +%s%N)
duck_ms=$(( (t1 - t0) / 1000000 ))

t0=$(date +%s%N)
/usr/bin/time -v "$BIN" data check "$WORK/records.csv" --item 公民身份号码:citizen_id:required --item 姓名:text:required \
  --item 统一社会信用代码:uscc --item 金额:decimal --item 登记日期:date --item 采集时间:datetime:required \
  --item 采集地点:text:required --item 联系电话:phone --item 行政区划代码:region_code --item 备注:text \
  >"$WORK/check.json" 2>"$WORK/check.time"
t1=$(date +%s%N)
check_ms=$(( (t1 - t0) / 1000000 ))
check_peak=$(peak_of "$WORK/check.time")
rejected=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['rows_rejected'])" "$WORK/check.json")

mbps() { python3 -c "print(f'{$BYTES/1e6/($1/1000):.0f}')"; }
echo
echo "file: $(( BYTES / 1000000 )) MB, $ROWS rows, 10 columns ($rejected rows with a bad check character)"
echo
echo "| measure | target | result |"
echo "|---|---|---|"
echo "| gongshu data load → Parquet version | ≥ half DuckDB's rate | $(python3 -c "print(f'{$load_ms/1000:.1f}')") s, $(mbps $load_ms) MB/s |"
echo "| DuckDB read_csv → Parquet, same file | (reference) | $(python3 -c "print(f'{$duck_ms/1000:.1f}')") s, $(mbps $duck_ms) MB/s |"
echo "| load rate / DuckDB rate | ≥ 0.5 | $(python3 -c "print(f'{$duck_ms/$load_ms:.2f}')") |"
echo "| load peak memory (RSS) | < 500 MB | ${load_peak} MB |"
echo "| gongshu data check | > 1,000,000 rows/s | $(python3 -c "print(f'{$ROWS/($check_ms/1000):,.0f}')") rows/s (peak ${check_peak} MB) |"
echo
echo "$(nproc) cores; $(uname -sr); DuckDB $(python3 -c 'import duckdb; print(duckdb.__version__)')"

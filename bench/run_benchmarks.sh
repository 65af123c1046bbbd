#!/usr/bin/env bash
# Runs every benchmark of bench/ and prints one Markdown table of the results.
#
#   bench/run_benchmarks.sh [BUILD_DIR]        default: build
#
# Builds nothing: build first, e.g.
#   cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWANDB_BUILD_TESTS=OFF
#   ninja -C build-bench
# Each benchmark runs BENCH_REPEAT times (default 2) and the better figure of each metric is
# reported (lowest time or memory, highest rate), since other work on the machine only ever
# makes a figure worse. The programs' own output goes to stderr as they run; the table goes to
# stdout. Each benchmark starts its own wandb-service in a fresh directory under /tmp and
# stops it when done.
set -euo pipefail

build_dir=${1:-build}
bin=$build_dir/bin
repeat=${BENCH_REPEAT:-2}
programs=(bench_log_latency bench_throughput bench_init bench_finish bench_daemon_rss
          bench_save bench_count_history bench_system_metrics bench_recovery bench_console
          bench_media bench_artifact bench_online wandb-service)
for p in "${programs[@]}"; do
  if [[ ! -x $bin/$p ]]; then
    echo "run_benchmarks.sh: $bin/$p is missing; build $build_dir first" >&2
    exit 1
  fi
done

bin=$(cd "$bin" && pwd)
export WANDB_SILENT=true
export WANDB_CPP_SERVICE_PATH=$bin/wandb-service
export WANDB_CPP_SERVICE_IDLE_TIMEOUT=${WANDB_CPP_SERVICE_IDLE_TIMEOUT:-120}
# Issue #2's targets are for the path from log() to the transaction log: offline mode. The
# default mode, which also tracks each run into the local store, is measured on its own.
export WANDB_MODE=offline

results=$(mktemp)
trap 'rm -f "$results"' EXIT

run() {  # run <program> [args...]: every RESULT line it prints is kept
  local i line
  for ((i = 1; i <= repeat; i++)); do
    echo "== $* (run $i of $repeat)" >&2
    # A failing program (say, rows missing from a log) is reported, and the table still made.
    "$bin/$1" "${@:2}" | while IFS= read -r line; do
      echo "$line" >&2
      if [[ $line == RESULT\ * ]]; then echo "$line" >>"$results"; fi
    done || echo "run_benchmarks.sh: $* exited with an error" >&2
  done
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
run bench_log_latency --calls 200000 --warmup 20000 --paced-calls 50000 --rate 10000
run bench_throughput --processes 1 --rows 500000
run bench_throughput --processes 8 --rows 100000
WANDB_MODE=local run bench_throughput --processes 1 --rows 500000
run bench_init --reps 9
run bench_finish --rows 100000 --reps 5
run bench_daemon_rss 1000 100000 1000000
run bench_daemon_rss --rate 20000 100000 1000000
run bench_save --small 1000 --small-bytes 4096 --large 10 --large-mb 50
run bench_system_metrics --samples 5000 --seconds 10
run bench_recovery --reps 7
WANDB_MODE=local run bench_console --lines 100000 --reps 3
WANDB_MODE=local run bench_media
WANDB_MODE=local run bench_artifact --large-mb 256
run bench_online --rows 100000 --seconds 10
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# best <metric> <min|max>: the best value of a metric over the repetitions
best() {
  awk -v m="$1" -v dir="$2" '$2 == m {
      if (n == 0 || (dir == "min" && $3 < v) || (dir == "max" && $3 > v)) v = $3; n++ }
    END { if (n) print v; else print "n/a" }' "$results"
}

# row <label> <metric> <min|max> <unit> <format> <target text> [<op> <limit>]
row() {
  local label=$1 metric=$2 dir=$3 unit=$4 fmt=$5 target=$6 op=${7:-} limit=${8:-} value shown status
  value=$(best "$metric" "$dir")
  if [[ $value == n/a ]]; then
    shown=n/a
    status="no result"
  else
    # shellcheck disable=SC2059
    shown="$(printf "$fmt" "$value") $unit"
    status=$(awk -v v="$value" -v op="$op" -v l="$limit" 'BEGIN {
      if (op == "") { print "-"; exit }
      ok = (op == "<=" && v <= l) || (op == ">=" && v >= l) || (op == "==" && v == l)
      print ok ? "met" : "MISSED" }')
  fi
  echo "| $label | $shown | $target | $status |"
}

# "Memory does not grow with the rows logged": the 1M-row peak within 25% of the 100k-row one.
growth_limit() {
  awk -v v="$(best "$1" min)" 'BEGIN { if (v == "n/a") print 0; else print v * 1.25 }'
}

cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
mem=$(awk '/^MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo)
os=$(awk -F= '/^PRETTY_NAME=/ { gsub(/"/, "", $2); print $2 }' /etc/os-release)
echo
echo "Machine: $(nproc) vCPU ($cpu), $mem RAM, $os, kernel $(uname -r)."
echo "Load average (1/5/15 min) before: $load_before; after: $load_after."
echo "Best of $repeat runs per benchmark; build: $build_dir."
echo
echo "| Benchmark | Result | Target | Status |"
echo "|---|---|---|---|"
row "log() 10 scalars, median" log_median_us min "µs" "%.2f" "≤ 1 µs" "<=" 1
row "log() 10 scalars, p99" log_p99_us min "µs" "%.2f" "≤ 10 µs" "<=" 10
row "log() 10 scalars, max" log_max_us min "µs" "%.0f" "-"
row "log() 10 scalars paced at 10k rows/s, median" log_paced_median_us min "µs" "%.2f" "-"
row "log() 10 scalars paced at 10k rows/s, p99" log_paced_p99_us min "µs" "%.2f" "≤ 5 µs" "<=" 5
row "log() 10 scalars paced at 10k rows/s, max" log_paced_max_us min "µs" "%.0f" "-"
row "log() one 224x224x3 image, median" media_log_image_median_us min "µs" "%.1f" "-"
row "log() one 224x224x3 image, p99" media_log_image_p99_us min "µs" "%.1f" "-"
row "log() 16 such images, median" media_log_16_images_median_us min "µs" "%.1f" "-"
row "log() histogram of 1M floats, median" media_log_histogram_1m_median_us min "µs" "%.1f" "-"
row "images/s end to end into the run directory" media_images_per_second max "images/s" "%.0f" "-"
row "rows/s end to end, 1 process (500k rows)" rows_per_s_1proc max "rows/s" "%.0f" \
    "≥ 250,000 rows/s" ">=" 250000
row "rows read back from the log, 1 process" rows_verified_1proc max "rows" "%.0f" \
    "= 500,000" "==" 500000
row "rows/s end to end, 8 processes (8 × 100k rows)" rows_per_s_8proc max "rows/s" "%.0f" \
    "≥ 250,000 rows/s" ">=" 250000
row "rows read back from the logs, 8 processes" rows_verified_8proc max "rows" "%.0f" \
    "= 800,000" "==" 800000
row "rows/s end to end into the local store, 1 process (500k rows)" rows_per_s_1proc_local max \
    "rows/s" "%.0f" "-"
row "rows read back from the log, local mode" rows_verified_1proc_local max "rows" "%.0f" \
    "= 500,000" "==" 500000
row "init(), warm daemon (new process), median" init_warm_ms min "ms" "%.1f" "≤ 20 ms" "<=" 20
row "init(), warm daemon (same process again), median" init_warm_repeat_ms min "ms" "%.1f" \
    "≤ 20 ms" "<=" 20
row "init(), cold (starts the daemon), median" init_cold_ms min "ms" "%.1f" "≤ 200 ms" "<=" 200
row "finish() right after 100k rows logged in a burst, median" finish_burst_ms min "ms" "%.1f" \
    "≤ 50 ms" "<=" 50
row "finish() after 100k rows, daemon caught up, median" finish_settled_ms min "ms" "%.1f" \
    "≤ 50 ms" "<=" 50
row "save(): 1,000 files of 4 KB into the local store" save_files_per_s_small max "files/s" \
    "%.0f" "-"
row "save(): 10 files of 50 MB into the local store" save_mb_per_s_large max "MB/s" "%.0f" "-"
row "save() call on the caller, small file, median" save_call_median_us_small min "µs" "%.0f" "-"
row "save() call on the caller, small file, p99" save_call_p99_us_small min "µs" "%.0f" "-"
row "system metrics: one sample, CPU" sysmetrics_sample_cpu_us min "µs" "%.1f" "-"
row "system metrics: monitor thread per sample, CPU" sysmetrics_thread_cpu_us_per_sample min \
    "µs" "%.1f" "-"
row "system metrics: one run at the default 2 s interval" sysmetrics_core_percent_default min \
    "% of a core" "%.4f" "< 1 %" "<=" 1
row "recovery from a daemon kill -9 (rows flowing again), median" \
    daemon_kill_recovery_median_ms min "ms" "%.0f" "-"
row "console: 100k lines by write(2), print loop, capture off" console_write_off_loop_ms min \
    "ms" "%.0f" "-"
row "console: 100k lines by write(2), print loop, capture on" console_write_on_loop_ms min \
    "ms" "%.0f" "-"
row "console: 100k lines by write(2), client CPU, capture off" console_write_off_client_cpu_ms \
    min "ms" "%.0f" "-"
row "console: 100k lines by write(2), client CPU, capture on" console_write_on_client_cpu_ms \
    min "ms" "%.0f" "-"
row "console: line latency to the terminal, p50, capture off" console_latency_off_p50_us min \
    "µs" "%.0f" "-"
row "console: line latency to the terminal, p50, capture on" console_latency_on_p50_us min \
    "µs" "%.0f" "no visible latency: ≤ 1000 µs" "<=" 1000
row "log_artifact + wait: 1,000 files of 4 KB" artifact_mb_per_s_small max "MB/s" "%.1f" "-"
row "log_artifact + wait: one file of 256 MB" artifact_mb_per_s_large max "MB/s" "%.0f" "-"
row "use_artifact + download from the store: one file of 256 MB" \
    artifact_download_mb_per_s_large max "MB/s" "%.0f" "-"
row "online: rows/s streamed to a W&B server on 127.0.0.1 (100k rows)" online_rows_per_s max \
    "rows/s" "%.0f" "-"
row "online: file_stream requests per minute at 1,000 rows/s" \
    online_requests_per_min_at_1000_rows_per_s min "req/min" "%.0f" "-"
row "daemon peak RSS after 1,000 rows" daemon_hwm_mb_1000 min "MB" "%.1f" "-"
row "daemon peak RSS after 100,000 rows (tight loop)" daemon_hwm_mb_100000 min "MB" "%.1f" "-"
row "daemon peak RSS after 1,000,000 rows (tight loop)" daemon_hwm_mb_1000000 min "MB" "%.1f" \
    "≤ 1.25 × the 100k figure" "<=" "$(growth_limit daemon_hwm_mb_100000)"
row "daemon peak RSS after 100,000 rows paced at 20k rows/s" daemon_hwm_mb_100000_paced min \
    "MB" "%.1f" "-"
row "daemon peak RSS after 1,000,000 rows paced at 20k rows/s" daemon_hwm_mb_1000000_paced \
    min "MB" "%.1f" "≤ 1.25 × the 100k figure" "<=" "$(growth_limit daemon_hwm_mb_100000_paced)"

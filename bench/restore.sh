#!/usr/bin/env bash
# Run by hand, not in CI. On one backup chain, side by side and back to back (RUNS times, alternating which goes
# first; medians at the end):
#   1. a restore through the service's API (POST /tenant/restore to the newest point, as a new tenant)
#   2. the plain commands on the same chain: `zstd -d | mbstream -x` per set, `mariabackup --prepare` of the full
#      and of each incremental in order, `mariabackup --move-back`
# and prints seconds and MB/s (of the decoded xbstream) of each step, and the CPU seconds of each side (the plain
# commands' processes; the service's JVM with its reaped children mbstream and mariabackup), which the load of a
# shared machine distorts less than seconds. 'Start restore' is timed by polling the DAG
# every 0.05 s (the engine records node times to the second): it verifies, decrypts, decompresses, extracts,
# prepares and moves back, so compare it with the plain total; the whole DAG adds starting the new mariadbd, its GTID
# state and registering it.
#
#   DATA_URI=file:///backup/t1/data OUT_DIR=/var/lib/tenant-backup/bench bench/restore.sh
#   DATA_URI=file:///backup/enc/data DECRYPTION=pw PLAIN_DIR=/backup/t1/data OUT_DIR=... bench/restore.sh
#
# DATA_URI     the data destination the API restores from (file:// or s3://; its newest chain, encrypted or not)
# DECRYPTION   the password of its encrypted sets (sent as `decryption`)
# PLAIN_DIR    a directory holding the same chain unencrypted, for the plain commands (default: DATA_URI's path; the
#              plain commands can neither decrypt nor read s3://, so give a clear backup of the same tenant then)
# PLAIN_SETS   the set directories below PLAIN_DIR, comma-separated, full first (default: the API's chain)
# OUT_DIR      scratch for the plain run; put it on the filesystem of the service's data dir, as the API's staging is
# RUNS         back-to-back runs of both (default 3)
# CONCURRENCY  the request's `concurrency` (default: not sent, the service's default)
# NAME         the tenant the API restores into (default bench_restore, suffixed with the run; dropped after each)
# API          the service's API base (default http://127.0.0.1:2886/api/v1)
# SERVICE_PID  the service's JVM, for its CPU seconds (default: the pid GET /status reports)
set -euo pipefail

: "${DATA_URI:?data destination (file://... or s3://...)}" "${OUT_DIR:?scratch directory for the plain run}"
API=${API:-http://127.0.0.1:2886/api/v1}
NAME=${NAME:-bench_restore}
RUNS=${RUNS:-3}
PLAIN_DIR=${PLAIN_DIR:-${DATA_URI#file://}}

now() { date +%s.%N; }
cpu_of() { awk -v hz="$(getconf CLK_TCK)" '{ print ($14 + $15 + $16 + $17) / hz }' "/proc/$1/stat"; }
children_cpu() { awk -v hz="$(getconf CLK_TCK)" '{ print ($16 + $17) / hz }' /proc/$$/stat; }
call() { # method path [json-body] -> prints data, fails on an error envelope
  local out
  out=$(curl -sS -X "$1" -H 'Content-Type: application/json' ${3:+--data-binary @-} "$API$2" <<<"${3:-}")
  if [ "$(jq -r .successful <<<"$out")" != true ]; then echo "$1 $2 failed: $out" >&2; exit 1; fi
  jq -c '.data // {}' <<<"$out"
}
wait_dag() { # generic-id -> waits for SUCCEED; sets start_restore_done (client time: node times have 1 s resolution)
  local dag state
  start_restore_done=
  while :; do
    dag=$(call GET "/task/dag/$1?show_details=true")
    state=$(jq -r .state <<<"$dag")
    if [ -z "$start_restore_done" ] && [ "$(jq -r '.nodes[1].state' <<<"$dag")" = SUCCEED ]; then
      start_restore_done=$(now)
    fi
    case $state in
      SUCCEED) return 0 ;;
      FAILED) jq . <<<"$dag" >&2; echo "DAG $1 FAILED" >&2; exit 1 ;;
    esac
    sleep 0.05
  done
}
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { print b - a }'; }
median() { tr ' ' '\n' | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
row() { # label bytes seconds
  awk -v l="$1" -v b="$2" -v s="$3" 'BEGIN { printf "%-50s %12d %9.2f %9.1f\n", l, b, s, (s > 0 ? b / s / 1e6 : 0) }'
}

api_run() { # run-number -> sets api_s, start_restore_s, bytes, chain
  local name="${NAME}_$1" body start dag
  body=$(jq -n --arg uri "$DATA_URI" --arg name "$name" --arg pw "${DECRYPTION:-}" --arg c "${CONCURRENCY:-}" \
    '{data_backup_uri: $uri, restore_tenant_name: $name}
     + (if $pw == "" then {} else {decryption: [$pw]} end)
     + (if $c == "" then {} else {concurrency: ($c | tonumber)} end)')
  sync
  local cpu0
  cpu0=$(cpu_of "$SERVICE_PID")
  start=$(now)
  dag=$(call POST /tenant/restore "$body" | jq -r .id)
  wait_dag "$dag"
  api_s=$(seconds "$start" "$(now)")
  api_cpu=$(seconds "$cpu0" "$(cpu_of "$SERVICE_PID")")
  start_restore_s=$(seconds "$start" "$start_restore_done")
  local overview
  overview=$(call GET "/tenant/$name/restore/overview")
  bytes=$(jq -r .total_bytes <<<"$overview")
  IFS=, read -r -a chain <<<"${PLAIN_SETS:-$(jq -r .backup_set_list <<<"$overview")}"
  dag=$(call DELETE "/tenant/$name" | jq -r .id)
  wait_dag "$dag"
}

plain_run() { # -> sets extract_s, prepare_s, move_s, plain_s, plain_cpu
  local scratch start i set_dir cpu0
  scratch=$(mktemp -d "$OUT_DIR/plain-XXXXXX")
  sync
  cpu0=$(children_cpu)
  start=$(now)
  for i in "${!chain[@]}"; do
    set_dir="$PLAIN_DIR/${chain[$i]}"
    [ -f "$set_dir/data.xbstream.zst" ] || { echo "$set_dir: no data.xbstream.zst (encrypted? give PLAIN_DIR)" >&2; exit 1; }
    mkdir -p "$scratch/set_$i"
    zstd -d -q -c "$set_dir/data.xbstream.zst" | mbstream -x -C "$scratch/set_$i"
  done
  extract_s=$(seconds "$start" "$(now)")
  start=$(now)
  mariabackup --no-defaults --prepare --target-dir="$scratch/set_0" 2> "$scratch/prepare.log"
  for ((i = 1; i < ${#chain[@]}; i++)); do
    mariabackup --no-defaults --prepare --target-dir="$scratch/set_0" --incremental-dir="$scratch/set_$i" \
      2>> "$scratch/prepare.log"
  done
  prepare_s=$(seconds "$start" "$(now)")
  start=$(now)
  mkdir -p "$scratch/datadir"
  mariabackup --no-defaults --move-back --target-dir="$scratch/set_0" --datadir="$scratch/datadir" 2> "$scratch/move.log"
  move_s=$(seconds "$start" "$(now)")
  plain_s=$(awk -v a="$extract_s" -v b="$prepare_s" -v c="$move_s" 'BEGIN { print a + b + c }')
  plain_cpu=$(seconds "$cpu0" "$(children_cpu)")
  rm -rf "$scratch"
}

mkdir -p "$OUT_DIR"
SERVICE_PID=${SERVICE_PID:-$(call GET /status | jq -r .pid)}
all_extract=() all_prepare=() all_move=() all_plain=() all_start=() all_api=() all_plain_cpu=() all_api_cpu=()
for ((run = 1; run <= RUNS; run++)); do
  if ((run % 2)); then api_run "$run"; plain_run; else plain_run; api_run "$run"; fi
  printf 'run %d: plain %.2f s (extract %.2f, prepare %.2f, move-back %.2f), %.2f CPU s; API Start restore %.2f s, DAG %.2f s, %.2f CPU s\n' \
    "$run" "$plain_s" "$extract_s" "$prepare_s" "$move_s" "$plain_cpu" "$start_restore_s" "$api_s" "$api_cpu"
  all_extract+=("$extract_s") all_prepare+=("$prepare_s") all_move+=("$move_s") all_plain+=("$plain_s")
  all_start+=("$start_restore_s") all_api+=("$api_s") all_plain_cpu+=("$plain_cpu") all_api_cpu+=("$api_cpu")
done

m() { echo "$@" | median; }
plain_m=$(m "${all_plain[@]}") start_m=$(m "${all_start[@]}") api_m=$(m "${all_api[@]}")
printf '\n%s, chain %s (%d set(s)), %d bytes of xbstream, medians of %d runs\n' "$(sed 's/?.*//' <<<"$DATA_URI")" \
  "$(IFS=,; echo "${chain[*]}")" "${#chain[@]}" "$bytes" "$RUNS"
printf '%-50s %12s %9s %9s\n' "step" "bytes" "seconds" "MB/s"
row "plain: zstd -d | mbstream -x (all sets)" "$bytes" "$(m "${all_extract[@]}")"
row "plain: --prepare full + incrementals" "$bytes" "$(m "${all_prepare[@]}")"
row "plain: --move-back" "$bytes" "$(m "${all_move[@]}")"
row "plain: total" "$bytes" "$plain_m"
row "API: request to end of 'Start restore'" "$bytes" "$start_m"
row "API: whole DAG (+ start, GTID state, register)" "$bytes" "$api_m"
awk -v p="$plain_m" -v s="$start_m" -v a="$api_m" \
  'BEGIN { printf "ratio plain/API: %.2fx to end of Start restore, %.2fx whole DAG\n", p / s, p / a }'
printf 'CPU seconds: plain %.2f, API (service JVM and its children, whole DAG) %.2f\n' "$(m "${all_plain_cpu[@]}")" \
  "$(m "${all_api_cpu[@]}")"

#!/usr/bin/env bash
# Run by hand, not in CI. On one backup chain, side by side:
#   1. a restore through the service's API (POST /tenant/restore to the newest point, as a new tenant)
#   2. the plain commands on the same chain: `zstd -d | mbstream -x` per set, `mariabackup --prepare` of the full
#      and of each incremental in order, `mariabackup --move-back`
# and prints seconds and MB/s (of the decoded xbstream) of each step. 'Start restore' is timed by polling the DAG
# every 0.1 s (the engine records node times to the second): it verifies, decrypts, decompresses, extracts,
# prepares and moves back, so compare it with the plain total.
#
#   DATA_URI=file:///backup/t1/data OUT_DIR=/var/lib/tenant-backup/bench bench/restore.sh
#
# DATA_URI  a data destination with an unencrypted chain (the plain commands cannot decrypt)
# OUT_DIR   scratch for the plain run; put it on the filesystem of the service's data dir, as the API's staging is
# NAME      the tenant the API restores into (default bench_restore; dropped at the end)
# API       the service's API base (default http://127.0.0.1:2886/api/v1)
set -euo pipefail

: "${DATA_URI:?data destination (file://...)}" "${OUT_DIR:?scratch directory for the plain run}"
API=${API:-http://127.0.0.1:2886/api/v1}
NAME=${NAME:-bench_restore}
DATA_DIR=${DATA_URI#file://}

now() { date +%s.%N; }
call() { # method path [json-body] -> prints data, fails on an error envelope
  local out
  out=$(curl -sS -X "$1" -H 'Content-Type: application/json' ${3:+--data-binary @-} "$API$2" <<<"${3:-}")
  if [ "$(jq -r .successful <<<"$out")" != true ]; then echo "$1 $2 failed: $out" >&2; exit 1; fi
  jq -c '.data // {}' <<<"$out"
}
wait_restore() { # generic-id -> waits for SUCCEED; sets start_restore_done (client time: node times have 1 s resolution)
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
    sleep 0.1
  done
}
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { print b - a }'; }
row() { # label bytes seconds
  awk -v l="$1" -v b="$2" -v s="$3" 'BEGIN { printf "%-46s %12d %9.2f %9.1f\n", l, b, s, (s > 0 ? b / s / 1e6 : 0) }'
}

# 1. the API
start=$(now)
dag=$(call POST /tenant/restore "$(jq -n --arg uri "$DATA_URI" --arg name "$NAME" \
  '{data_backup_uri: $uri, restore_tenant_name: $name}')" | jq -r .id)
wait_restore "$dag"
api_s=$(seconds "$start" "$(now)")
start_restore_s=$(seconds "$start" "$start_restore_done")
overview=$(call GET "/tenant/$NAME/restore/overview")
bytes=$(jq -r .total_bytes <<<"$overview")
IFS=, read -r -a chain <<<"$(jq -r .backup_set_list <<<"$overview")"

# 2. the plain commands on the same sets
mkdir -p "$OUT_DIR"
scratch=$(mktemp -d "$OUT_DIR/plain-XXXXXX")
trap 'rm -rf "$scratch"; call DELETE "/tenant/$NAME" > /dev/null || true' EXIT
start=$(now)
for i in "${!chain[@]}"; do
  set_dir="$DATA_DIR/${chain[$i]}"
  [ -f "$set_dir/data.xbstream.zst" ] || { echo "${chain[$i]}: no data.xbstream.zst (encrypted?)" >&2; exit 1; }
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

printf '\nchain: %s (%d set(s)), %d bytes of xbstream\n' "$(IFS=,; echo "${chain[*]}")" "${#chain[@]}" "$bytes"
printf '%-46s %12s %9s %9s\n' "step" "bytes" "seconds" "MB/s"
row "plain: zstd -d | mbstream -x (all sets)" "$bytes" "$extract_s"
row "plain: --prepare full + incrementals" "$bytes" "$prepare_s"
row "plain: --move-back" "$bytes" "$move_s"
row "plain: total" "$bytes" "$(awk -v a="$extract_s" -v b="$prepare_s" -v c="$move_s" 'BEGIN { print a + b + c }')"
row "API: request to end of 'Start restore'" "$bytes" "$start_restore_s"
row "API: whole DAG (+ start, GTID state, register)" "$bytes" "$api_s"

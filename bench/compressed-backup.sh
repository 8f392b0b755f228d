#!/usr/bin/env bash
# Run by hand, not in CI. On one tenant, in one run, side by side:
#   1. plain `mariabackup --stream=xbstream | zstd -1 -T2 > file`
#   2. a full backup through the service's API (zstd, the default)
#   3. the same with a password (zstd + AES-256-GCM)
# and prints MB/s of the raw stream and the stored/raw ratio of each.
#
#   TENANT=t1 OUT_DIR=/backup/bench bench/full-backup.sh
#
# TENANT    an existing tenant of the running service, with a backup config (see scripts/demo.sh)
# OUT_DIR   where the plain stream is written (put it on the same filesystem as the data destination)
# API       the service's API base (default http://127.0.0.1:2886/api/v1)
set -euo pipefail

: "${TENANT:?name of the tenant}" "${OUT_DIR:?directory for the plain stream}"
API=${API:-http://127.0.0.1:2886/api/v1}

now() { date +%s.%N; }
call() { # method path [json-body] -> prints data, fails on an error envelope
  local out
  out=$(curl -sS -X "$1" -H 'Content-Type: application/json' ${3:+--data-binary @-} "$API$2" <<<"${3:-}")  # body on stdin: no password in ps
  if [ "$(jq -r .successful <<<"$out")" != true ]; then echo "$1 $2 failed: $out" >&2; exit 1; fi
  jq -c '.data // {}' <<<"$out"
}
wait_dag() { # generic-id -> waits for SUCCEED
  local state
  while :; do
    state=$(call GET "/task/dag/$1?show_details=false" | jq -r .state)
    case $state in
      SUCCEED) return 0 ;;
      FAILED) call GET "/task/dag/$1?show_details=true" | jq . >&2; echo "DAG $1 FAILED" >&2; exit 1 ;;
    esac
    sleep 0.2
  done
}
row() { # label raw-bytes stored-bytes seconds
  awk -v l="$1" -v r="$2" -v s="$3" -v t="$4" \
    'BEGIN { printf "%-40s %12d %12d %8.2f %9.1f %7.3f\n", l, r, s, t, r / t / 1e6, s / r }'
}

home=$(call GET "/tenant/$TENANT" | jq -r .connection.socket | xargs dirname)
mkdir -p "$OUT_DIR"
scratch=$(mktemp -d "$OUT_DIR/plain-XXXXXX")
trap 'rm -rf "$scratch"' EXIT

start=$(now)
mariabackup --defaults-file="$home/agent.cnf" --backup --stream=xbstream --parallel=2 \
  --socket="$home/mysqld.sock" --target-dir="$scratch/target" --extra-lsndir="$scratch/lsn" 2> "$scratch/plain.log" \
  | tee >(wc -c > "$scratch/raw_bytes") | zstd -1 -T2 -q > "$scratch/plain.xbstream.zst"
sync -f "$scratch/plain.xbstream.zst"
plain_seconds=$(awk -v a="$start" -v b="$(now)" 'BEGIN { print b - a }')
tail -n 1 "$scratch/plain.log" | grep -q 'completed OK!' || { echo "plain mariabackup failed:"; tail -n 5 "$scratch/plain.log"; exit 1; }
sleep 0.5  # wc in the process substitution may finish after the pipeline
plain_raw=$(cat "$scratch/raw_bytes")
plain_stored=$(stat -c %s "$scratch/plain.xbstream.zst")

api_backup() { # json-body label -> prints "raw stored seconds"
  local start dag overview
  start=$(now)
  dag=$(call POST "/tenant/$TENANT/backup" "$1" | jq -r .id)
  wait_dag "$dag"
  overview=$(call GET "/tenant/$TENANT/backup/overview")
  local seconds
  seconds=$(awk -v a="$start" -v b="$(now)" 'BEGIN { print b - a }')
  # "mariabackup of tenant t1 produced N bytes in S s (R MB/s)": the streaming part alone
  call GET "/task/dag/$dag?show_details=true" | jq -r '.nodes[2].sub_tasks[0].task_logs[]' \
    | grep -o 'produced .* MB/s)' > "$scratch/stream-$2"
  jq -r --arg s "$seconds" '.status | "\(.input_bytes) \(.output_bytes) \($s)"' <<<"$overview"
}
read -r zstd_raw zstd_stored zstd_seconds < <(api_backup '{"mode":"full"}' zstd)
read -r enc_raw enc_stored enc_seconds < <(api_backup "{\"mode\":\"full\",\"encryption\":\"bench-$RANDOM-$RANDOM\"}" enc)

printf '%-40s %12s %12s %8s %9s %7s\n' "run (tenant $TENANT)" "raw bytes" "stored" "seconds" "raw MB/s" "ratio"
row "mariabackup | zstd -1 -T2 > file" "$plain_raw" "$plain_stored" "$plain_seconds"
row "API full, zstd (end to end)" "$zstd_raw" "$zstd_stored" "$zstd_seconds"
row "API full, zstd + AES-256-GCM (end to end)" "$enc_raw" "$enc_stored" "$enc_seconds"
echo "API times include DAG scheduling, the key derivation (Argon2id) and reading the set back for verification."
echo "Streaming alone (Start backup's log): zstd $(cat "$scratch/stream-zstd"); zstd + AES $(cat "$scratch/stream-enc")"

#!/usr/bin/env bash
# Issue 11's benchmark, run by hand (not in CI). On ONE tenant, in one run, side by side, and printed as one table:
#   1. full backup: plain `mariabackup --backup --stream=xbstream --parallel=2 | zstd -1 -T2 > file` (and sync) next
#      to the API's full backup (request to DAG SUCCEED) with zstd (the default) and with zstd + a password
#      (AES-256-GCM): seconds, MB/s of the raw xbstream, stored/raw, CPU seconds, plain/ours;
#   2. restore of that full: plain `zstd -d | mbstream -x`, `mariabackup --prepare`, `--move-back` into an empty dir
#      next to POST /tenant/restore (into a new tenant, dropped after) of the clear and of the encrypted set, end to
#      end and to the end of 'Start restore';
#   3. the API's backups and restores of 2. to an s3:// destination (a local s3proxy) next to file://;
#   4. read paths: wrk -t2 -c16 (warm-up, then --latency) on the routes SDKs and dashboards poll: req/s and p99.
# Every figure is the median of BENCH_RUNS runs; the plain tool and ours run back to back in each run. CPU seconds
# are those of the plain pipeline's processes, and of the service's JVM with its children (mariabackup, mbstream)
# for ours: load on a shared machine stretches seconds, hardly CPU.
#
#   API=http://127.0.0.1:2886/api/v1 bench/perf.sh
#
# API          the service's API base, which must answer; unset: http://127.0.0.1:2886/api/v1, started here with the
#              defaults (scripts/api.sh bench_tenant) unless it answers. Its process (for CPU and RSS) is the pid
#              GET /status reports.
# BENCH_GB     size of the tenant's data in GB of raw xbstream, roughly (default 1); loaded once, reused after
# BENCH_RUNS   runs per measurement, the median is printed (default 3)
# BENCH_SKIP   comma-separated sections to skip: s3, reads
# BENCH_DIR    scratch: plain backup and restore, file:// destinations, s3proxy's store; removed at the end (default
#              /tmp/tb-perf; on the filesystem of the service's data dir, outside it)
# BENCH_TENANT the bench tenant (default perf; kept for the next run)
# BENCH_DURATION, BENCH_WARMUP, BENCH_THREADS, BENCH_CONNECTIONS   wrk (default 10s, 3s, 2, 16)
set -euo pipefail
cd "$(dirname "$0")/.."
GB=${BENCH_GB:-1}
RUNS=${BENCH_RUNS:-3}
SKIP=,${BENCH_SKIP:-},
DIR=${BENCH_DIR:-/tmp/tb-perf}
TENANT=${BENCH_TENANT:-perf}
RESTORED=${TENANT}_restored
ROOT_PW=bench-root-pw
PASSWORD=bench-backup-password-$RANDOM$RANDOM
POLL_SECONDS=0.05
source scripts/api.sh
source bench/lib.sh
skipped() { [[ $SKIP == *",$1,"* ]]; }

S3PROXY_PID=
cleanup() {
  set +e
  curl -s "$API/tenant/$RESTORED" | jq -e .successful >/dev/null 2>&1 \
    && call DELETE "/tenant/$RESTORED" | jq -r .id | { read -r id; wait_dag "$id" >/dev/null; }
  [ -n "$S3PROXY_PID" ] && kill "$S3PROXY_PID" 2>/dev/null && wait "$S3PROXY_PID" 2>/dev/null
  (stop_archiving) 2>/dev/null   # else the archiver writes its next checkpoint into DIR again
  rm -rf "$DIR"
}
trap cleanup EXIT
# stop, not suspend: the next run's first backup then begins a new round in that run's BENCH_DIR
stop_archiving() { call PATCH "/tenant/$TENANT/backup/log" '{"status":"stop"}' >/dev/null; }
load_average() { cut -d' ' -f1-3 /proc/loadavg; }
load_before=$(load_average)

if [ -n "${API:-}" ]; then
  # someone's own service on this shared machine: never start another one with the defaults in its place
  curl -sf "$API/status" >/dev/null || { echo "No tenant-backup answers at $API: start it first" >&2; exit 1; }
  SOCK=$(ensure_tenant "$TENANT" "$ROOT_PW" | jq -r .connection.socket)
else
  API=http://127.0.0.1:2886/api/v1
  SOCK=$(bench_tenant "$TENANT" "$ROOT_PW" | jq -r .connection.socket)
fi
SERVICE_PID=$(call GET /status | jq -r .pid)
HOME_DIR=$(dirname "$SOCK")
load_bench_table "$(awk -v g="$GB" 'BEGIN { printf "%d", g * 1e9 }')"
rm -rf "$DIR"; mkdir -p "$DIR"

# --- the runs; each sets R[SECONDS], R[RAW], R[STORED], R[CPU] (and R[START] for a restore, R[RSS] for the API's),
# record keeps them ---
declare -A R M

plain_backup() { # -> $DIR/plain/plain.xbstream.zst
  local out=$DIR/plain t0 cpu0
  rm -rf "$out"; mkdir -p "$out"; sync
  cpu0=$(cpu_ticks $$); t0=$(now)
  mariabackup --defaults-file="$HOME_DIR/agent.cnf" --backup --stream=xbstream --parallel=2 --socket="$SOCK" \
    --target-dir="$out/target" --extra-lsndir="$out/lsn" 2>"$out/backup.log" | zstd -1 -T2 -q >"$out/plain.xbstream.zst"
  sync -f "$out/plain.xbstream.zst"
  R[SECONDS]=$(seconds "$t0" "$(now)"); R[CPU]=$(cpu_seconds "$cpu0" "$(cpu_ticks $$)")
  tail -n 1 "$out/backup.log" | grep -q 'completed OK!' || { tail -n 5 "$out/backup.log" >&2; exit 1; }
  R[STORED]=$(stat -c %s "$out/plain.xbstream.zst")
  R[RAW]=$(zstd -d -q -c "$out/plain.xbstream.zst" | wc -c)   # counted after the clock, not by a tee in the pipeline
}

plain_restore() { # of the last plain_backup
  local out=$DIR/plain-restore t0 cpu0 t1 t2 t3
  rm -rf "$out"; mkdir -p "$out/set" "$out/datadir"; sync
  cpu0=$(cpu_ticks $$); t0=$(now)
  zstd -d -q -c "$DIR/plain/plain.xbstream.zst" | mbstream -x -C "$out/set"
  t1=$(now)
  mariabackup --no-defaults --prepare --target-dir="$out/set" 2>"$out/prepare.log"
  t2=$(now)
  mariabackup --no-defaults --move-back --target-dir="$out/set" --datadir="$out/datadir" 2>"$out/move-back.log"
  t3=$(now); R[CPU]=$(cpu_seconds "$cpu0" "$(cpu_ticks $$)")
  R[SECONDS]=$(seconds "$t0" "$t3")
  R[EXTRACT]=$(seconds "$t0" "$t1"); R[PREPARE]=$(seconds "$t1" "$t2"); R[MOVE]=$(seconds "$t2" "$t3")
  R[RAW]=$(med plain_backup RAW)
  rm -rf "$out"
}

set_data_uri() { # DATA_URI: the bench tenant's data destination; a PATCH of it alone leaves archiving as it is
  call PATCH "/tenant/$TENANT/backup/config" "$(jq -n --arg d "$1" '{data_base_uri: $d}')" \
    | jq -r .id | { read -r id; wait_dag "$id" >/dev/null; }
}

api_backup() { # DATA_URI [PASSWORD]: a full backup to DATA_URI; sets DAG_ID too
  local t0 cpu0 status body
  set_data_uri "$1"
  body=$(PW=${2:-} jq -n '{mode: "full"} + if env.PW == "" then {} else {encryption: env.PW} end')
  sync   # as the plain runs do: what earlier runs left dirty is written before the clock starts
  reset_peak_rss "$SERVICE_PID"; cpu0=$(cpu_ticks "$SERVICE_PID"); t0=$(now)
  DAG_ID=$(call POST "/tenant/$TENANT/backup" "$body" | jq -r .id)
  await_success "/task/dag/$DAG_ID?show_details=false"
  R[SECONDS]=$(seconds "$t0" "$(now)"); R[CPU]=$(cpu_seconds "$cpu0" "$(cpu_ticks "$SERVICE_PID")")
  R[RSS]=$(peak_rss_mb "$SERVICE_PID")
  status=$(call GET "/tenant/$TENANT/backup/overview" | jq -c .status)
  R[RAW]=$(jq .input_bytes <<<"$status"); R[STORED]=$(jq .output_bytes <<<"$status")
}

api_restore() { # DATA_URI [PASSWORD]: the newest point of DATA_URI into a new tenant, dropped after
  local t0 cpu0 dag node body
  body=$(PW=${2:-} jq -n --arg uri "$1" --arg name "$RESTORED" \
    '{data_backup_uri: $uri, restore_tenant_name: $name} + if env.PW == "" then {} else {decryption: [env.PW]} end')
  sync   # as plain_restore does
  reset_peak_rss "$SERVICE_PID"; cpu0=$(cpu_ticks "$SERVICE_PID"); t0=$(now)
  dag=$(call POST /tenant/restore "$body")
  node=$(jq -r '.nodes[]? | select(.name == "Start restore") | .id' <<<"$dag")
  [ -n "$node" ] || node=$(call GET "/task/dag/$(jq -r .id <<<"$dag")" | jq -r '.nodes[] | select(.name == "Start restore") | .id')
  await_success "/task/node/$node"
  R[START]=$(seconds "$t0" "$(now)")   # node times are recorded to the second: timed here
  await_success "/task/dag/$(jq -r .id <<<"$dag")?show_details=false"
  R[SECONDS]=$(seconds "$t0" "$(now)"); R[CPU]=$(cpu_seconds "$cpu0" "$(cpu_ticks "$SERVICE_PID")")
  R[RSS]=$(peak_rss_mb "$SERVICE_PID")
  R[RAW]=$(call GET "/tenant/$RESTORED/restore/overview" | jq .total_bytes)
  call DELETE "/tenant/$RESTORED" | jq -r .id | { read -r id; wait_dag "$id" >/dev/null; }
}

# await_success PATH: polls GET $API$PATH (a DAG summary or a node) every POLL_SECONDS until its state is SUCCEED;
# exits if it FAILED. The clocked runs wait with it: one curl and a string match per poll. The old poller (curl and
# three jq) cost ~70 ms of CPU per poll, over half a core of this 2-core machine taken from the service it timed,
# which the plain commands, timed without a poller, never paid.
await_success() {
  local out state
  while :; do
    out=$(curl -sS "$API$1")
    state=${out#*\"state\":\"}; state=${state%%\"*}   # the first "state" is the DAG's or the node's own
    case $state in
      SUCCEED) return 0 ;;
      FAILED) echo "$1 FAILED" >&2; exit 1 ;;
    esac
    [[ $out == *'"successful":true'* ]] || { echo "GET $1 failed: $out" >&2; exit 1; }
    sleep "$POLL_SECONDS"
  done
}

# record KEY: appends this run's values (R) to the lists M[KEY.SECONDS], M[KEY.CPU], ... and empties R
record() {
  local v
  for v in "${!R[@]}"; do M[$1.$v]+="${R[$v]} "; done
  R=()
}
# shellcheck disable=SC2086 # the list is space-separated numbers
med() { local k=$1.$2; if [ -n "${M[$k]:-}" ]; then median ${M[$k]}; else echo -; fi; } # KEY FIELD -> median
progress() { printf '[%s] %s\n' "$(date -u +%T)" "$*" >&2; }

FILE_CLEAR=file://$DIR/file/clear/data FILE_ENC=file://$DIR/file/enc/data
S3_CLEAR='' S3_ENC=''
if ! skipped s3; then
  s3proxy_start "$DIR/s3proxy"
  S3_CLEAR="s3://bench/clear/data?$S3_QUERY" S3_ENC="s3://bench/enc/data?$S3_QUERY"
fi

progress "warm-up: one untimed API full backup (JIT, page cache, InnoDB checkpoint)"
# the archive destination too: every backup's 'Open archive log' opens archiving (as obshell's does); the warm-up
# opens it, so the measured backups find it DOING as in production
configure_backup "$TENANT" "$DIR/file/clear"
api_backup "$FILE_CLEAR"; R=()

# Each measurement is a step; run K starts at the K-th step and wraps around, so every side takes every position in
# turn: what a position costs (the run before it freed a GB, which this VM hands back to the host; see the README)
# falls on each side alike.
backup_plain() { plain_backup; record plain_backup; }
backup_file_clear() { api_backup "$FILE_CLEAR"; record file_clear_backup; READ_DAG=$DAG_ID; }
backup_file_enc() { api_backup "$FILE_ENC" "$PASSWORD"; record file_enc_backup; }
backup_s3_clear() { api_backup "$S3_CLEAR"; record s3_clear_backup; }
backup_s3_enc() { api_backup "$S3_ENC" "$PASSWORD"; record s3_enc_backup; }
restore_plain() { plain_restore; record plain_restore; }
restore_file_clear() { api_restore "$FILE_CLEAR"; record file_clear_restore; }
restore_file_enc() { api_restore "$FILE_ENC" "$PASSWORD"; record file_enc_restore; }
restore_s3_clear() { api_restore "$S3_CLEAR"; record s3_clear_restore; }
restore_s3_enc() { api_restore "$S3_ENC" "$PASSWORD"; record s3_enc_restore; }
rotated() { # RUN STEP...: the steps from the RUN-th on, wrapping around
  local run=$1 i; shift
  for ((i = 0; i < $#; i++)); do "${@:$(((run - 1 + i) % $# + 1)):1}"; done
}
sides=(file_clear file_enc); skipped s3 || sides+=(s3_clear s3_enc)
for run in $(seq 1 "$RUNS"); do
  progress "backup run $run/$RUNS"
  rotated "$run" backup_plain "${sides[@]/#/backup_}"
done
progress "warm-up: one untimed API restore (JIT of the restore path, as in a service that has restored before)"
api_restore "$FILE_CLEAR"; R=()
for run in $(seq 1 "$RUNS"); do
  progress "restore run $run/$RUNS"
  rotated "$run" restore_plain "${sides[@]/#/restore_}"
done
[ -n "$S3PROXY_PID" ] && { kill "$S3PROXY_PID"; wait "$S3PROXY_PID" 2>/dev/null || true; S3PROXY_PID=; }
set_data_uri "$FILE_CLEAR"   # not left pointing at the stopped s3proxy

# --- read paths, on the DAG of the last clear file:// backup ---
reads=
if ! skipped reads; then
  command -v wrk >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
  dag=$(call GET "/task/dag/$READ_DAG?show_details=true")
  node=$(jq -c '[.nodes[] | {id, task: .sub_tasks[0].id, logs: (.sub_tasks[0].task_logs // [] | length)}]
    | max_by(.logs)' <<<"$dag")
  read_dag_shape="DAG of $(jq '.nodes | length' <<<"$dag") nodes, $(jq '[.nodes[].sub_tasks[0].task_logs // [] | length] | add' \
    <<<"$dag") log lines, $(curl -s "$API/task/dag/$READ_DAG" | wc -c) bytes with details"
  measure() { # NAME PATH -> a table row
    local out
    wrk -t"${BENCH_THREADS:-2}" -c"${BENCH_CONNECTIONS:-16}" -d"${BENCH_WARMUP:-3s}" "$API$2" >/dev/null
    out=$(wrk -t"${BENCH_THREADS:-2}" -c"${BENCH_CONNECTIONS:-16}" -d"${BENCH_DURATION:-10s}" --latency "$API$2")
    if grep -q "Non-2xx" <<<"$out"; then echo "$2 answered errors under load: $out" >&2; exit 1; fi
    printf '| %s | %s | %s |\n' "$1" "$(awk '/^Requests\/sec/ { printf "%.0f", $2 }' <<<"$out")" \
      "$(awk '$1 == "99%" { print $2 }' <<<"$out")"
  }
  progress "read paths (wrk)"
  reads+=$(measure "\`task/dag/{id}?show_details=false\`" "/task/dag/$READ_DAG?show_details=false")$'\n'
  reads+=$(measure "\`task/dag/{id}?show_details=true\`" "/task/dag/$READ_DAG?show_details=true")$'\n'
  reads+=$(measure "\`task/node/{id}\`" "/task/node/$(jq -r .id <<<"$node")")$'\n'
  reads+=$(measure "\`task/sub_task/{id}\`" "/task/sub_task/$(jq -r .task <<<"$node")")$'\n'
  reads+=$(measure "\`tenant/{name}/backup/overview\`" "/tenant/$TENANT/backup/overview")$'\n'
  reads+=$(measure "\`tenant/{name}/backup/tasks\`" "/tenant/$TENANT/backup/tasks")$'\n'
  reads+=$(measure "\`tenant/{name}/backup/info\`" "/tenant/$TENANT/backup/info")$'\n'
  reads+=$(measure "\`tenant/{name}\`" "/tenant/$TENANT")$'\n'
  reads+=$(measure "\`status\` (no database, reference)" "/status")$'\n'
fi

# --- the table ---
# row LABEL KEY [FIELD] [BASE_KEY] [BASE_FIELD]: seconds (FIELD, default SECONDS), raw MB/s, stored/raw, CPU s,
# the service's peak RSS and BASE's seconds / these seconds
row() {
  local s raw stored
  s=$(med "$2" "${3:-SECONDS}"); raw=$(med "$2" RAW); stored=$(med "$2" STORED)
  printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$1" "$s" "$(mbps "$raw" "$s")" \
    "$(if [ "$stored" = - ]; then echo -; else ratio "$stored" "$raw"; fi)" "$(med "$2" CPU)" "$(med "$2" RSS)" \
    "$(if [ -n "${4:-}" ]; then ratio "$(med "$4" "${5:-SECONDS}")" "$s"; else echo -; fi)"
}
echo
echo "## tenant-backup bench/perf.sh, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo -)"
echo
echo "machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo);" \
  "load average before $load_before, after $(load_average)"
echo "tenant $TENANT: $(($(stat -c %s "$(sql 'SELECT @@datadir')bench/t.ibd") / 1000000)) MB bench.t, $(($(med plain_backup RAW) / 1000000)) MB of raw xbstream;" \
  "medians of $RUNS runs; API $API"
echo
echo "| measurement | seconds | raw MB/s | stored/raw | CPU s | peak RSS MB | ratio |"
echo "|---|---|---|---|---|---|---|"
row "backup: plain \`mariabackup --parallel=2 \\| zstd -1 -T2 > file\`, sync" plain_backup
row "backup: API full, zstd, file://" file_clear_backup "" plain_backup
row "backup: API full, zstd + AES-256-GCM, file://" file_enc_backup "" plain_backup
row "restore: plain \`zstd -d \\| mbstream -x\`, prepare, move-back" plain_restore
row "restore: API, clear set, file://, end to end" file_clear_restore "" plain_restore
row "restore: API, clear set, file://, to end of 'Start restore'" file_clear_restore START plain_restore
row "restore: API, encrypted set, file://, end to end" file_enc_restore "" plain_restore
row "restore: API, encrypted set, file://, to end of 'Start restore'" file_enc_restore START plain_restore
if skipped s3; then
  echo "| s3:// section skipped (BENCH_SKIP) | | | | | | |"
else
  row "backup: API full, zstd, s3://" s3_clear_backup "" file_clear_backup
  row "backup: API full, zstd + AES-256-GCM, s3://" s3_enc_backup "" file_enc_backup
  row "restore: API, clear set, s3://, end to end" s3_clear_restore "" file_clear_restore
  row "restore: API, encrypted set, s3://, end to end" s3_enc_restore "" file_enc_restore
fi
echo
echo "ratio: plain seconds / these seconds (≥ 1: ours as fast or faster); s3:// rows: file:// seconds / s3:// seconds."
echo "Plain restore: extract $(med plain_restore EXTRACT) s, prepare $(med plain_restore PREPARE) s, move-back $(med plain_restore MOVE) s." \
  "CPU s: the plain pipeline's processes; the service's JVM and its children for the API." \
  "Peak RSS: the service's, during the run (VmHWM, reset before it)."
echo
if skipped reads; then
  echo "read paths skipped (BENCH_SKIP)"
else
  echo "read paths: wrk -t${BENCH_THREADS:-2} -c${BENCH_CONNECTIONS:-16} -d${BENCH_DURATION:-10s} --latency after a ${BENCH_WARMUP:-3s} warm-up; $read_dag_shape"
  echo
  echo "| route | req/s | p99 |"
  echo "|---|---|---|"
  printf '%s' "$reads"
fi

#!/usr/bin/env bash
# Read-path throughput, run by hand (not in CI): wrk against the routes the SDKs and dashboards poll, on the DAG of a
# real full backup (its nodes, sub-tasks and logs) and its tenant. Prints req/s and p99 latency for each route.
# BENCH_DURATION (default 10s, after a BENCH_WARMUP of 3s), BENCH_THREADS (2) and BENCH_CONNECTIONS (16) go to
# wrk; loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."
export TENANT_BACKUP_DATA_DIR=${TENANT_BACKUP_DATA_DIR:-/var/lib/tenant-backup}
API=http://127.0.0.1:${QUARKUS_HTTP_PORT:-2886}/api/v1
TENANT=${BENCH_TENANT:-bench}
ROOT_PW=bench-root-pw
DEST=${BENCH_DEST:-/var/lib/tenant-backup-bench}
DURATION=${BENCH_DURATION:-10s}
WARMUP=${BENCH_WARMUP:-3s}
THREADS=${BENCH_THREADS:-2}
CONNECTIONS=${BENCH_CONNECTIONS:-16}
source scripts/api.sh

command -v wrk >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
bench_tenant "$TENANT" "$ROOT_PW" >/dev/null
rm -rf "$DEST"; mkdir -p "$DEST"
configure_backup "$TENANT" "$DEST"
echo "Full backup of $TENANT: the DAG whose reads are measured" >&2
dag=$(wait_dag "$(call POST "/tenant/$TENANT/backup" '{"mode":"full"}' | jq -r .id)")
dag_id=$(jq -r .id <<<"$dag")
# the node with the most log lines, and its sub-task
node=$(jq -c '[.nodes[] | {id, task: .sub_tasks[0].id, logs: (.sub_tasks[0].task_logs // [] | length)}]
  | max_by(.logs)' <<<"$dag")
echo "DAG $dag_id: $(jq '.nodes | length' <<<"$dag") nodes, $(jq '[.nodes[].sub_tasks[0].task_logs // [] | length] | add' \
  <<<"$dag") log lines, $(curl -s "$API/task/dag/$dag_id" | wc -c) bytes with details" >&2

# measure NAME PATH: a warm-up run (JIT, pools), then the measured wrk run; prints "NAME req/s p99"
measure() {
  local out
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "$API$2" >/dev/null
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$API$2")
  if grep -q "Non-2xx" <<<"$out"; then echo "$2 answered errors under load: $out" >&2; exit 1; fi
  printf '%-34s %10s %10s\n' "$1" "$(awk '/^Requests\/sec/ { printf "%.0f", $2 }' <<<"$out")" \
    "$(awk '$1 == "99%" { print $2 }' <<<"$out")"
}

printf '\nwrk -t%s -c%s -d%s on %s cores\n%-34s %10s %10s\n' "$THREADS" "$CONNECTIONS" "$DURATION" "$(nproc)" \
  route req/s p99
measure "task/dag (show_details=false)" "/task/dag/$dag_id?show_details=false"
measure "task/dag (show_details=true)" "/task/dag/$dag_id?show_details=true"
measure "task/node (details)" "/task/node/$(jq -r .id <<<"$node")"
measure "task/sub_task" "/task/sub_task/$(jq -r .task <<<"$node")"
measure "tenant/{name}/backup/overview" "/tenant/$TENANT/backup/overview"
measure "tenant/{name}/backup/tasks" "/tenant/$TENANT/backup/tasks"
measure "tenant/{name}/backup/info" "/tenant/$TENANT/backup/info"
measure "tenant/{name}" "/tenant/$TENANT"
measure "status (no database, reference)" "/status"

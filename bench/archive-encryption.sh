#!/usr/bin/env bash
# Binlog archiving with and without archive encryption, run by hand (not in CI). Starts the packaged service twice on
# its own port, metadata database and data dir: first without TENANT_BACKUP_ARCHIVE_PASSPHRASE, then with it (the
# restart begins a new, encrypted round). On the same tenant and the same workload each time it prints:
#   - catch-up throughput: archiving suspended, BENCH_MB of row changes written, archiving resumed; MB of binlog
#     archived per second until the archive reaches the tenant's GTID position (streamer + zstd [+ AES-GCM] + store);
#   - archive delay: with archiving DOING (archive_lag_target 1s), one committed row, then the seconds until an
#     archived piece lists it; median of BENCH_PROBES probes.
#
#   bench/archive-encryption.sh
#
# BENCH_MB      binlog to write per run, roughly (default 256)
# BENCH_PROBES  delay probes per run (default 5)
# BENCH_DIR     scratch: data dir, destination, service logs (default /tmp/tb-bench-arc; keep it short)
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${BENCH_PORT:-2896}
API=http://127.0.0.1:$PORT/api/v1
DIR=${BENCH_DIR:-/tmp/tb-bench-arc}
MB=${BENCH_MB:-256}
PROBES=${BENCH_PROBES:-5}
DB=tenant_backup_bench_arc
TENANT=arcbench
ROOT_PW=arcbench-root-pw
PASSPHRASE=bench-archive-passphrase-$RANDOM$RANDOM
source scripts/api.sh
source bench/lib.sh

bash scripts/metadata-db.sh >/dev/null
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q -DskipTests package
mariadb --no-defaults -h127.0.0.1 -P3306 -utenant_backup -ptenant_backup \
  -e "DROP DATABASE IF EXISTS $DB; CREATE DATABASE $DB"
rm -rf "$DIR"; mkdir -p "$DIR"
service_pid=
stop_service() { [ -n "$service_pid" ] && kill "$service_pid" 2>/dev/null && wait "$service_pid" 2>/dev/null || true; service_pid=; }
start_service() { # [passphrase]
  TENANT_BACKUP_ALLOW_DEFAULT_DB_CREDENTIALS=true QUARKUS_HTTP_PORT=$PORT QUARKUS_MANAGEMENT_PORT=$((PORT + 1)) \
    QUARKUS_DATASOURCE_JDBC_URL=jdbc:mysql://127.0.0.1:3306/$DB TENANT_BACKUP_DATA_DIR=$DIR/tenants \
    TENANT_BACKUP_ARCHIVE_PASSPHRASE=${1:-} java -jar target/quarkus-app/quarkus-run.jar >>"$DIR/service.log" 2>&1 &
  service_pid=$!
  for _ in $(seq 1 180); do curl -sf "$API/status" >/dev/null && return 0; sleep 0.5; done
  echo "service did not start; see $DIR/service.log" >&2; exit 1
}
cleanup() {
  curl -s -X DELETE "$API/tenant/$TENANT" >/dev/null 2>&1 && sleep 5 || true
  stop_service
}
trap cleanup EXIT

seq_no() { sed 's/.*-//' <<<"$1"; }
manifests() { compgen -G "$DIR/dest/archive/round_*/piece_*/manifest.json" || true; }
archived_seq() { # highest end_gtid_pos seq_no any piece manifest lists (0 before the first)
  local files; files=$(manifests)
  [ -z "$files" ] && { echo 0; return; }
  xargs cat <<<"$files" 2>/dev/null | jq -r '.files[]?.end_gtid_pos' 2>/dev/null | sed 's/.*-//' | sort -n | tail -1 \
    || echo 0
}
await_archived() { # seq_no
  for _ in $(seq 1 6000); do [ "$(archived_seq)" -ge "$1" ] 2>/dev/null && return 0; sleep 0.05; done
  echo "the archive never reached seq_no $1" >&2; exit 1
}
archived_bytes() { # binlog bytes all piece manifests list
  local files; files=$(manifests)
  [ -z "$files" ] && { echo 0; return; }
  xargs cat <<<"$files" | jq -s '[.[].files[]?] | map(.binlog_size) | add // 0'
}
set_log() { call PATCH "/tenant/$TENANT/backup/log" "{\"status\":\"$1\"}" >/dev/null; }

run() { # label
  local label=$1 before after t0 t1 target delays=()
  set_log suspend
  sleep 2
  before=$(archived_bytes)
  rows=$((MB * 1024 * 1024 / 1100))
  sql "USE bench; INSERT INTO bench.t (pad) SELECT REPEAT(MD5(RAND()), 32) FROM seq_1_to_$rows; FLUSH BINARY LOGS;"
  target=$(seq_no "$(sql 'SELECT @@gtid_binlog_pos')")
  t0=$(now); set_log doing; await_archived "$target"; t1=$(now)
  after=$(archived_bytes)
  for _ in $(seq 1 "$PROBES"); do
    sql "INSERT INTO bench.t (pad) VALUES ('probe')"
    target=$(seq_no "$(sql 'SELECT @@gtid_binlog_pos')")
    t0p=$(now); await_archived "$target"; delays+=("$(seconds "$t0p" "$(now)")")
  done
  printf '%-10s %14d %10.2f %12.1f %16.2f\n' "$label" "$((after - before))" \
    "$(seconds "$t0" "$t1")" "$(mbps "$((after - before))" "$(seconds "$t0" "$t1")")" "$(median "${delays[@]}")"
}

start_service
tenant=$(ensure_tenant "$TENANT" "$ROOT_PW")
SOCK=$(jq -r .connection.socket <<<"$tenant")
sql "CREATE DATABASE bench; CREATE TABLE bench.t (id BIGINT AUTO_INCREMENT PRIMARY KEY, pad TEXT) ENGINE=InnoDB"
call POST "/tenant/$TENANT/backup/config" "{\"data_base_uri\":\"file://$DIR/dest/data\",\"archive_base_uri\":\"file://$DIR/dest/archive\",\"archive_lag_target\":\"1s\"}" \
  | jq -r .id | { read -r id; wait_dag "$id" >/dev/null; }
set_log doing
printf '%-10s %14s %10s %12s %16s\n' archive binlog_bytes catchup_s catchup_MB/s median_delay_s
run clear
stop_service
start_service "$PASSPHRASE"
run encrypted
ls "$DIR"/dest/archive | tr '\n' ' ' | sed 's/^/rounds: /'; echo

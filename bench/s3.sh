#!/usr/bin/env bash
# S3 next to file://, run by hand (not in CI): on the same tenant, a full backup and a restore (newest point, as a
# new tenant) through the API, once to a file:// destination and once to s3:// (a local s3proxy with its filesystem
# backend, started here, unless S3_URI names another server). Prints MB/s of backup and restore for both, and the
# service's peak RSS and peak used heap (jstat, sampled every 0.2 s) during each backup: the S3 upload streams
# through one 16 MiB part buffer, so its peak should stay close to the file:// one.
#
#   bench/s3.sh
#
# BENCH_TENANT  the tenant (default bench; created and loaded with BENCH_ROWS rows of ~250 bytes if absent)
# BENCH_DEST    scratch for the file:// destination and s3proxy's store (default /var/lib/tenant-backup-bench-s3)
# S3_URI        an s3:// data destination with its keys; archive goes next to it (default: the local s3proxy)
# SERVICE_PID   the service's JVM (default: the process listening on the API port)
set -euo pipefail
cd "$(dirname "$0")/.."
API=http://127.0.0.1:${QUARKUS_HTTP_PORT:-2886}/api/v1
TENANT=${BENCH_TENANT:-bench}
ROWS=${BENCH_ROWS:-2000000}
ROOT_PW=bench-root-pw
DEST=${BENCH_DEST:-/var/lib/tenant-backup-bench-s3}
source scripts/api.sh
now() { date +%s.%N; }
mbps() { awk -v b="$1" -v s="$2" 'BEGIN { printf "%.1f", b / s / 1e6 }'; }

ensure_service
PID=${SERVICE_PID:-$(ss -ltnpH "sport = :${QUARKUS_HTTP_PORT:-2886}" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)}
tenant=$(ensure_tenant "$TENANT" "$ROOT_PW")
SOCK=$(jq -r .connection.socket <<<"$tenant")
if [ "$(MYSQL_PWD=$ROOT_PW mariadb --no-defaults -S "$SOCK" -uroot -N -e \
  "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema='bench' AND table_name='t'")" = 0 ]; then
  echo "Loading $ROWS rows into $TENANT (once)"
  MYSQL_PWD=$ROOT_PW mariadb --no-defaults -S "$SOCK" -uroot -e "CREATE DATABASE IF NOT EXISTS bench; USE bench;
    SET sql_log_bin = 0; CREATE TABLE bench.t (id INT PRIMARY KEY, a BIGINT, pad VARCHAR(255)) ENGINE=InnoDB;
    INSERT INTO bench.t SELECT seq, seq * 7919, REPEAT(MD5(seq), 7) FROM seq_1_to_$ROWS;"
fi

rm -rf "$DEST"; mkdir -p "$DEST/file" "$DEST/s3store/bench"
s3proxy_pid=
cleanup() { [ -n "$s3proxy_pid" ] && kill "$s3proxy_pid" 2>/dev/null || true; }
trap cleanup EXIT
if [ -z "${S3_URI:-}" ]; then
  [ -f target/s3proxy/s3proxy.jar ] || ./mvnw -B -q process-test-resources
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  cat > "$DEST/s3proxy.conf" <<CONF
s3proxy.endpoint=http://127.0.0.1:$port
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=bench-id
s3proxy.credential=bench-secret
jclouds.provider=filesystem
jclouds.filesystem.basedir=$DEST/s3store
CONF
  java -Xmx256m -jar target/s3proxy/s3proxy.jar --properties "$DEST/s3proxy.conf" > "$DEST/s3proxy.log" 2>&1 &
  s3proxy_pid=$!
  for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.2; done
  # s3proxy's filesystem backend: a directory of its base dir is a bucket; localhost as Host (path-style)
  S3_URI="s3://bench/$TENANT/data?host=http://localhost:$port&access_id=bench-id&access_key=bench-secret&force_path_style=true"
fi
archive_of() { sed 's#/data?#/archive?#; s#/data$#/archive#' <<<"$1"; }

sample() { # pid file: appends "rss_kB used_heap_kB" every 0.2 s until killed
  while :; do
    rss=$(awk '/VmRSS/ { print $2 }' "/proc/$1/status")
    heap=$(jstat -gc "$1" | awk 'NR == 2 { printf "%d", $3 + $4 + $6 + $8 }')
    echo "$rss $heap" >> "$2"; sleep 0.2
  done
}

run() { # label data-uri -> prints a result row
  local label=$1 data=$2 t0 t1 dag bytes samples sampler
  call POST "/tenant/$TENANT/backup/config" "$(jq -n --arg d "$data" --arg a "$(archive_of "$data")" \
    '{data_base_uri: $d, archive_base_uri: $a, archive_lag_target: "1m"}')" | jq -r .id \
    | { read -r id; wait_dag "$id" > /dev/null; }
  samples=$(mktemp); sample "$PID" "$samples" & sampler=$!
  t0=$(now); dag=$(call POST "/tenant/$TENANT/backup" '{"mode":"full"}'); wait_dag "$(jq -r .id <<<"$dag")" > /dev/null
  t1=$(now); kill "$sampler"
  backup_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
  bytes=$(call GET "/tenant/$TENANT/backup/overview" | jq .status.input_bytes)
  peak=$(sort -n -k1 "$samples" | tail -1 | awk '{ print $1 }'); heap=$(sort -n -k2 "$samples" | tail -1 | awk '{ print $2 }')
  t0=$(now)
  dag=$(call POST /tenant/restore "$(jq -n --arg d "$data" --arg n "${TENANT}_r" '{data_backup_uri: $d, restore_tenant_name: $n}')")
  wait_dag "$(jq -r .id <<<"$dag")" > /dev/null
  t1=$(now)
  restore_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
  call DELETE "/tenant/${TENANT}_r" | jq -r .id | { read -r id; wait_dag "$id" > /dev/null; }
  printf '%-8s %12d %9.2f %9s %9.2f %9s %12d %12d\n' "$label" "$bytes" "$backup_s" "$(mbps "$bytes" "$backup_s")" \
    "$restore_s" "$(mbps "$bytes" "$restore_s")" "$peak" "$heap"
  rm -f "$samples"
}

printf '%-8s %12s %9s %9s %9s %9s %12s %12s\n' dest bytes backup_s backup_MB/s restore_s restore_MB/s peak_RSS_kB peak_heap_kB
run file "file://$DEST/file/data"
run s3 "$S3_URI"

#!/usr/bin/env bash
# Full-backup throughput, run by hand (not in CI): the API-driven backup (POST /tenant/{name}/backup, DAG followed
# to SUCCEED) next to plain `mariabackup --backup --stream=xbstream > file` on the same tenant and the same disk.
# Prints MB/s for both and their ratio. Sizes: BENCH_ROWS rows of ~250 bytes (default 2,000,000 ≈ 0.6 GB).
set -euo pipefail
cd "$(dirname "$0")/.."
export TENANT_BACKUP_DATA_DIR=${TENANT_BACKUP_DATA_DIR:-/var/lib/tenant-backup}
API=http://127.0.0.1:${QUARKUS_HTTP_PORT:-2886}/api/v1
TENANT=${BENCH_TENANT:-bench}
ROWS=${BENCH_ROWS:-2000000}
ROOT_PW=bench-root-pw
DEST=${BENCH_DEST:-/var/lib/tenant-backup-bench}
source scripts/api.sh

tenant=$(bench_tenant "$TENANT" "$ROOT_PW")
SOCK=$(jq -r .connection.socket <<<"$tenant")
HOME_DIR=$(dirname "$SOCK")

rows=$(MYSQL_PWD=$ROOT_PW mariadb --no-defaults -S "$SOCK" -uroot -N -e \
  "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema='bench' AND table_name='t'")
if [ "$rows" = 0 ]; then
  echo "Loading $ROWS rows into $TENANT (once)"
  MYSQL_PWD=$ROOT_PW mariadb --no-defaults -S "$SOCK" -uroot <<SQL
CREATE DATABASE IF NOT EXISTS bench;
USE bench;
SET sql_log_bin = 0;
CREATE TABLE t (id INT PRIMARY KEY, a BIGINT, pad VARCHAR(255)) ENGINE=InnoDB;
INSERT INTO t SELECT seq, seq * 7919, REPEAT(MD5(seq), 7) FROM seq_1_to_$ROWS;
SET GLOBAL innodb_io_capacity = 20000;
SQL
  sleep 5
fi
rm -rf "$DEST"; mkdir -p "$DEST"
configure_backup "$TENANT" "$DEST"

now() { date +%s.%N; }
mbps() { awk -v b="$1" -v s="$2" 'BEGIN { printf "%.1f", b / s / 1e6 }'; }

echo "Plain mariabackup --stream=xbstream > file"
sync; t0=$(now)
mariabackup --defaults-file="$HOME_DIR/agent.cnf" --backup --stream=xbstream --parallel=2 --socket="$SOCK" \
  --target-dir="$DEST/plain-tmp" > "$DEST/plain.xb" 2>"$DEST/plain.log"
sync; t1=$(now)
plain_bytes=$(stat -c %s "$DEST/plain.xb")
plain_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')

echo "API-driven full backup"
t0=$(now)
dag=$(call POST "/tenant/$TENANT/backup" '{"mode":"full"}')
done_dag=$(wait_dag "$(jq -r .id <<<"$dag")")
t1=$(now)
api_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
api_bytes=$(call GET "/tenant/$TENANT/backup/overview" | jq .status.input_bytes)
stream_s=$(jq -r '.nodes[] | select(.name == "Start backup") | "\(.start_time) \(.end_time)"' <<<"$done_dag" \
  | { read -r a b; awk -v a="$(date -d "$a" +%s.%N)" -v b="$(date -d "$b" +%s.%N)" 'BEGIN { print b - a }'; })

printf '\n%-44s %12s %9s %9s\n' "run" "bytes" "seconds" "MB/s"
printf '%-44s %12d %9.2f %9s\n' "plain mariabackup > file" "$plain_bytes" "$plain_s" "$(mbps "$plain_bytes" "$plain_s")"
printf '%-44s %12d %9.2f %9s\n' "API: Start backup node (stream + sha256)" "$api_bytes" "$stream_s" "$(mbps "$api_bytes" "$stream_s")"
printf '%-44s %12d %9.2f %9s\n' "API: whole DAG (check, stream, verify)" "$api_bytes" "$api_s" "$(mbps "$api_bytes" "$api_s")"
awk -v p="$(mbps "$plain_bytes" "$plain_s")" -v a="$(mbps "$api_bytes" "$stream_s")" -v w="$(mbps "$api_bytes" "$api_s")" \
  'BEGIN { printf "ratio API stream / plain: %.2f   whole DAG / plain: %.2f\n", a / p, w / p }'
rm -rf "$DEST/plain.xb" "$DEST/plain-tmp"

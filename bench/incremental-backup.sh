#!/usr/bin/env bash
# Incremental size after a bulk load, run by hand (not in CI). Loads BENCH_ROWS rows (default 2,000,000 of ~250
# bytes ≈ 0.6 GB) into a tenant, takes a full backup, changes BENCH_CHANGE_PCT percent of the rows (default 1, one
# contiguous id range), takes an incremental, and prints the stored size of each set and the ratio
# stored-incremental / changed-data, where changed data = changed rows × the table's average row length.
# Every backup forces an InnoDB checkpoint first, so the incremental copies only the pages changed since the full
# (plus what every MariaDB incremental copies whole: Aria system tables, ibdata1's changed pages, the redo tail).
set -euo pipefail
cd "$(dirname "$0")/.."
export TENANT_BACKUP_DATA_DIR=${TENANT_BACKUP_DATA_DIR:-/var/lib/tenant-backup}
API=http://127.0.0.1:${QUARKUS_HTTP_PORT:-2886}/api/v1
TENANT=${BENCH_TENANT:-benchinc}
ROWS=${BENCH_ROWS:-2000000}
PCT=${BENCH_CHANGE_PCT:-1}
ROOT_PW=bench-root-pw
DEST=${BENCH_DEST:-/var/lib/tenant-backup-bench-inc}
source scripts/api.sh
source bench/lib.sh

tenant=$(bench_tenant "$TENANT" "$ROOT_PW")
SOCK=$(jq -r .connection.socket <<<"$tenant")

echo "Loading $ROWS rows into $TENANT"
sql "DROP DATABASE IF EXISTS bench; CREATE DATABASE bench;
     CREATE TABLE bench.t (id INT PRIMARY KEY, a BIGINT, pad VARCHAR(255)) ENGINE=InnoDB;
     INSERT INTO bench.t SELECT seq, seq * 7919, REPEAT(MD5(seq), 7) FROM bench.seq_1_to_$ROWS;"
rm -rf "$DEST"; mkdir -p "$DEST"
configure_backup "$TENANT" "$DEST"

backup() { # mode -> prints the stored bytes of the new set
  local dag set
  dag=$(call POST "/tenant/$TENANT/backup" "{\"mode\":\"$1\"}")
  wait_dag "$(jq -r .id <<<"$dag")" >/dev/null
  set=$(ls -d "$DEST"/data/backup_set_* | sort -t_ -k3 -n | tail -1)
  jq '[.files[].size] | add' "$set/manifest.json"
}

full=$(backup full)
changed_rows=$((ROWS * PCT / 100))
sql "UPDATE bench.t SET a = a + 1, pad = REVERSE(pad) WHERE id <= $changed_rows"
sql "ANALYZE TABLE bench.t" >/dev/null
avg_row=$(sql "SELECT avg_row_length FROM information_schema.tables WHERE table_schema='bench' AND table_name='t'")
incremental=$(backup incremental)
changed=$((changed_rows * avg_row))

printf '\n%-36s %14s\n' "" "bytes"
printf '%-36s %14d\n' "full backup, stored" "$full"
printf '%-36s %14d\n' "changed data ($changed_rows rows × $avg_row B)" "$changed"
printf '%-36s %14d\n' "incremental backup, stored" "$incremental"
awk -v i="$incremental" -v c="$changed" -v f="$full" \
  'BEGIN { printf "stored-incremental / changed-data: %.2f   incremental / full: %.3f\n", i / c, i / f }'

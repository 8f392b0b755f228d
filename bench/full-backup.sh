#!/usr/bin/env bash
# Run by hand, not in CI. Compares a full backup driven through the service's API with plain mariabackup
# streamed to a file, on the same tenant and the same disk, and prints MB/s of both and their ratio.
#
#   TENANT=t1 TENANT_HOME=/var/lib/tenant-backup/t1 OUT_DIR=/backup/bench \
#   TRIGGER='python3 start_backup.py t1' bench/full-backup.sh
#
# TENANT_HOME  the tenant's instance directory (agent.cnf, mysqld.sock), as the service created it
# OUT_DIR      where the plain stream is written (put it on the same filesystem as the data destination)
# TRIGGER      a command that starts the tenant's full backup through the API and returns when its DAG SUCCEEDs
#              (e.g. obshell SDK: ClientV1(...).start_tenant_backup_sync("t1"))
# META_SOCK, META_DB  the metadata database (defaults: /var/lib/tenant-backup-meta/mysqld.sock, tenant_backup)
set -euo pipefail

: "${TENANT:?name of the tenant}" "${TENANT_HOME:?instance directory of the tenant}" "${OUT_DIR:?directory for the plain stream}"
: "${TRIGGER:?command that runs the API-driven full backup to its end}"
META_SOCK=${META_SOCK:-/var/lib/tenant-backup-meta/mysqld.sock}
META_DB=${META_DB:-tenant_backup}

now() { date +%s.%N; }
mbps() { awk -v b="$1" -v s="$2" 'BEGIN { printf "%.1f", b / s / 1e6 }'; }

mkdir -p "$OUT_DIR"
scratch=$(mktemp -d "$OUT_DIR/plain-XXXXXX")
trap 'rm -rf "$scratch"' EXIT

start=$(now)
mariabackup --defaults-file="$TENANT_HOME/agent.cnf" --backup --stream=xbstream --parallel=2 \
  --socket="$TENANT_HOME/mysqld.sock" --target-dir="$scratch/target" --extra-lsndir="$scratch/lsn" \
  > "$scratch/plain.xbstream" 2> "$scratch/plain.log"
sync -f "$scratch/plain.xbstream"
plain_seconds=$(awk -v a="$start" -v b="$(now)" 'BEGIN { print b - a }')
plain_bytes=$(stat -c %s "$scratch/plain.xbstream")
tail -n 1 "$scratch/plain.log" | grep -q 'completed OK!' || { echo "plain mariabackup failed:"; tail -n 5 "$scratch/plain.log"; exit 1; }

start=$(now)
bash -c "$TRIGGER"
api_seconds=$(awk -v a="$start" -v b="$(now)" 'BEGIN { print b - a }')
read -r set_id api_bytes catalog_seconds < <(mariadb --no-defaults -S "$META_SOCK" -uroot -N "$META_DB" -e \
  "SELECT id, output_bytes, TIMESTAMPDIFF(MICROSECOND, start_time, end_time) / 1e6 FROM backup_set
   WHERE tenant_name = '$TENANT' AND status = 'COMPLETED' ORDER BY id DESC LIMIT 1")

plain_rate=$(mbps "$plain_bytes" "$plain_seconds")
api_rate=$(mbps "$api_bytes" "$api_seconds")
printf '%-34s %14s %10s %10s\n' "run" "bytes" "seconds" "MB/s"
printf '%-34s %14d %10.2f %10s\n' "plain mariabackup > file" "$plain_bytes" "$plain_seconds" "$plain_rate"
printf '%-34s %14d %10.2f %10s\n' "API full backup (set $set_id, end to end)" "$api_bytes" "$api_seconds" "$api_rate"
printf '%-34s %14s %10.2f %10s\n' "  same set, catalog start..end" "" "$catalog_seconds" "$(mbps "$api_bytes" "$catalog_seconds")"
awk -v a="$api_rate" -v p="$plain_rate" 'BEGIN { printf "ratio API / plain: %.2f\n", a / p }'

#!/usr/bin/env bash
# The main job end to end on defaults, on a fresh Debian machine (as root):
# metadata DB up -> service up -> create tenant -> load sample rows -> full backup through the API ->
# print the DAG and the backup set -> restore it through the API as a new tenant and compare CHECKSUM TABLE.
set -euo pipefail
cd "$(dirname "$0")/.."
export TENANT_BACKUP_DATA_DIR=${TENANT_BACKUP_DATA_DIR:-/var/lib/tenant-backup}
DEST_DIR=${DEMO_BACKUP_DIR:-/var/lib/tenant-backup-dest}
TENANT=${DEMO_TENANT:-demo}
RESTORED=${TENANT}_restored
PORT=${QUARKUS_HTTP_PORT:-2886}
API=http://127.0.0.1:$PORT/api/v1
ROOT_PW=${DEMO_TENANT_ROOT_PASSWORD:-demo-root-pw}

bash scripts/install-deps.sh
bash scripts/metadata-db.sh

log() { printf '\n== %s\n' "$*"; }
source scripts/api.sh

ensure_service
call GET /info | jq .

log "Tenant $TENANT"
tenant=$(ensure_tenant "$TENANT" "$ROOT_PW")
SOCK=$(jq -r .connection.socket <<<"$tenant")
jq . <<<"$tenant"

log "Loading sample rows"
MYSQL_PWD=$ROOT_PW mariadb --no-defaults -S "$SOCK" -uroot <<'SQL'
CREATE DATABASE IF NOT EXISTS shop;
USE shop;
CREATE TABLE IF NOT EXISTS shop.orders (id BIGINT PRIMARY KEY, customer INT, amount DECIMAL(10,2), note VARCHAR(64));
REPLACE INTO shop.orders SELECT seq, seq % 997, (seq % 10000) / 100, MD5(seq) FROM seq_1_to_200000;
SQL
SOURCE_CHECKSUM=$(MYSQL_PWD=$ROOT_PW mariadb --no-defaults -S "$SOCK" -uroot -N -e 'CHECKSUM TABLE shop.orders' | cut -f2)
echo "shop.orders: 200000 rows, CHECKSUM $SOURCE_CHECKSUM"

log "Backup destination file://$DEST_DIR/$TENANT"
dag=$(call POST "/tenant/$TENANT/backup/config" \
  "{\"data_base_uri\":\"file://$DEST_DIR/$TENANT/data\",\"archive_base_uri\":\"file://$DEST_DIR/$TENANT/archive\"}")
wait_dag "$(jq -r .id <<<"$dag")" | jq -c '{name, state}'

log "Full backup"
dag=$(call POST "/tenant/$TENANT/backup" '{"mode":"full"}')
wait_dag "$(jq -r .id <<<"$dag")"
overview=$(call GET "/tenant/$TENANT/backup/overview")
jq . <<<"$overview"
SET_DIR=$(jq -r .status.path <<<"$overview" | sed 's#^file://##')
log "Backup set: $SET_DIR"
ls -l "$SET_DIR"

log "Restoring the backup through the API into a new tenant $RESTORED"
if curl -s "$API/tenant/$RESTORED" | jq -e .successful >/dev/null; then
  wait_dag "$(call DELETE "/tenant/$RESTORED" | jq -r .id)" >/dev/null
fi
dag=$(call POST /tenant/restore \
  "{\"data_backup_uri\":\"file://$DEST_DIR/$TENANT/data\",\"archive_log_uri\":\"file://$DEST_DIR/$TENANT/archive\",\"restore_tenant_name\":\"$RESTORED\"}")
wait_dag "$(jq -r .id <<<"$dag")" | jq -c '{name, state, nodes: [.nodes[] | {name, state}]}'
call GET "/tenant/$RESTORED/restore/overview" | jq -c '{status, finish_bytes, total_bytes, restore_scn}'
RESTORED_SOCK=$(call GET "/tenant/$RESTORED" | jq -r .connection.socket)
# the restored tenant has the source's accounts, so the source's root password
RESTORED_CHECKSUM=$(MYSQL_PWD=$ROOT_PW mariadb --no-defaults -S "$RESTORED_SOCK" -uroot -N -e 'CHECKSUM TABLE shop.orders' | cut -f2)
echo "source CHECKSUM $SOURCE_CHECKSUM, restored tenant $RESTORED CHECKSUM $RESTORED_CHECKSUM"
[ "$SOURCE_CHECKSUM" = "$RESTORED_CHECKSUM" ] && echo "RESTORE OK" || { echo "RESTORE MISMATCH" >&2; exit 1; }

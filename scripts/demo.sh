#!/usr/bin/env bash
# The main job end to end on defaults, on a fresh Debian machine (as root):
# metadata DB up -> service up -> create tenant -> load sample rows -> full backup through the API ->
# print the DAG and the backup set -> restore the set into a scratch server and compare CHECKSUM TABLE.
set -euo pipefail
cd "$(dirname "$0")/.."
export TENANT_BACKUP_DATA_DIR=${TENANT_BACKUP_DATA_DIR:-/var/lib/tenant-backup}
DEST_DIR=${DEMO_BACKUP_DIR:-/var/lib/tenant-backup-dest}
TENANT=${DEMO_TENANT:-demo}
PORT=${QUARKUS_HTTP_PORT:-2886}
API=http://127.0.0.1:$PORT/api/v1
ROOT_PW=${DEMO_TENANT_ROOT_PASSWORD:-demo-root-pw}

bash scripts/install-deps.sh
bash scripts/metadata-db.sh
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q -DskipTests package

log() { printf '\n== %s\n' "$*"; }
call() { # method path [json-body] -> prints data, fails on an error envelope
  local out
  out=$(curl -sS -X "$1" -H 'Content-Type: application/json' ${3:+--data "$3"} "$API$2")
  if [ "$(jq -r .successful <<<"$out")" != true ]; then echo "$1 $2 failed: $out" >&2; exit 1; fi
  jq -c '.data // {}' <<<"$out"
}
wait_dag() { # generic-id -> waits for SUCCEED, prints the DAG
  local dag state
  for _ in $(seq 1 600); do
    dag=$(call GET "/task/dag/$1?show_details=true")
    state=$(jq -r .state <<<"$dag")
    case $state in
      SUCCEED) jq . <<<"$dag"; return 0 ;;
      FAILED) jq . <<<"$dag" >&2; echo "DAG $1 FAILED" >&2; exit 1 ;;
    esac
    sleep 1
  done
  echo "DAG $1 did not finish" >&2; exit 1
}

if ! curl -sf "$API/status" >/dev/null; then
  log "Starting tenant-backup on port $PORT (log: /tmp/tenant-backup.log)"
  setsid java -jar target/quarkus-app/quarkus-run.jar >/tmp/tenant-backup.log 2>&1 </dev/null &
  for _ in $(seq 1 120); do curl -sf "$API/status" >/dev/null && break; sleep 0.5; done
fi
call GET /info | jq .

if curl -s "$API/tenant/$TENANT" | jq -e .successful >/dev/null; then
  log "Tenant $TENANT exists; reusing it"
else
  log "Creating tenant $TENANT"
  dag=$(call POST /tenant "{\"name\":\"$TENANT\",\"root_password\":\"$ROOT_PW\",\"charset\":\"utf8mb4\"}")
  wait_dag "$(jq -r .id <<<"$dag")" | jq -c '{name, state, nodes: [.nodes[].name]}'
fi
tenant=$(call GET "/tenant/$TENANT")
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

log "Restoring the set into a scratch server and comparing"
R=$(mktemp -d /tmp/tb-restore.XXXX)
mkdir -p "$R/data"
zstd -dc "$SET_DIR/data.xbstream.zst" | mbstream -x -C "$R/data"  # sets are zstd-compressed by default
mariabackup --prepare --target-dir="$R/data" >"$R/prepare.log" 2>&1
setsid mariadbd --no-defaults --user=root --datadir="$R/data" --skip-networking --socket="$R/s.sock" \
  --pid-file="$R/p.pid" --log-error="$R/err.log" </dev/null >/dev/null 2>&1 &
export MYSQL_PWD=$ROOT_PW  # the restored copy has the source's users
for _ in $(seq 1 60); do mariadb --no-defaults -S "$R/s.sock" -uroot -e 'SELECT 1' >/dev/null 2>&1 && break; sleep 0.5; done
RESTORED_CHECKSUM=$(mariadb --no-defaults -S "$R/s.sock" -uroot -N -e 'CHECKSUM TABLE shop.orders' | cut -f2)
kill "$(cat "$R/p.pid")"; sleep 2; rm -rf "$R"
echo "source CHECKSUM $SOURCE_CHECKSUM, restored CHECKSUM $RESTORED_CHECKSUM"
[ "$SOURCE_CHECKSUM" = "$RESTORED_CHECKSUM" ] && echo "RESTORE OK" || { echo "RESTORE MISMATCH" >&2; exit 1; }

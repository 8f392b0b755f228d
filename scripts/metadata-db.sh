#!/usr/bin/env bash
# Starts (once) a local MariaDB that holds the service's metadata: tasks, tenants, backup catalog.
# Idempotent: does nothing when it already answers. Creates the databases and user the defaults expect.
set -euo pipefail
META_DIR=${TENANT_BACKUP_META_DIR:-/var/lib/tenant-backup-meta}
PORT=${TENANT_BACKUP_META_PORT:-3306}
SOCK=$META_DIR/mysqld.sock
DB_USER=${DB_USER:-tenant_backup}
DB_PASSWORD=${DB_PASSWORD:-tenant_backup}

if ! mariadb --no-defaults -S "$SOCK" -uroot -e 'SELECT 1' >/dev/null 2>&1; then
  mkdir -p "$META_DIR/tmp"
  if [ ! -d "$META_DIR/data/mysql" ]; then
    mariadb-install-db --no-defaults --user=root --datadir="$META_DIR/data" \
      --auth-root-authentication-method=socket >/dev/null
  fi
  setsid mariadbd --no-defaults --user=root --datadir="$META_DIR/data" --port="$PORT" \
    --bind-address=127.0.0.1 --socket="$SOCK" --tmpdir="$META_DIR/tmp" --pid-file="$META_DIR/mysqld.pid" \
    --log-error="$META_DIR/error.log" --max-connections=500 </dev/null >/dev/null 2>&1 &
  for _ in $(seq 1 60); do
    mariadb --no-defaults -S "$SOCK" -uroot -e 'SELECT 1' >/dev/null 2>&1 && break
    sleep 0.5
  done
fi
mariadb --no-defaults -S "$SOCK" -uroot <<SQL
CREATE DATABASE IF NOT EXISTS tenant_backup;
CREATE DATABASE IF NOT EXISTS tenant_backup_test;
CREATE USER IF NOT EXISTS '$DB_USER'@'127.0.0.1' IDENTIFIED BY '$DB_PASSWORD';
CREATE USER IF NOT EXISTS '$DB_USER'@'localhost' IDENTIFIED BY '$DB_PASSWORD';
GRANT ALL ON \`tenant_backup%\`.* TO '$DB_USER'@'127.0.0.1';
GRANT ALL ON \`tenant_backup%\`.* TO '$DB_USER'@'localhost';
SQL
echo "metadata MariaDB ready on 127.0.0.1:$PORT"

#!/usr/bin/env bash
# Runs the whole test suite on a fresh Debian machine (as root): installs MariaDB, mariabackup and a JDK if
# missing, starts the local metadata MariaDB, then runs Maven. Tests provision their own tenant instances.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/metadata-db.sh
exec ./mvnw -B verify "$@"

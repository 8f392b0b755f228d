#!/usr/bin/env bash
# Runs the whole test suite on a fresh Debian machine (as root): installs MariaDB, mariabackup and a JDK if
# missing (and Chromium and npm for the UI and manifest checks), starts the local metadata MariaDB, then runs Maven. Tests provision their own tenant instances.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --for-tests
bash scripts/metadata-db.sh
exec ./mvnw -B verify "$@"

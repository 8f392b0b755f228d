#!/usr/bin/env bash
# Installs what the service and its tests need on a fresh Debian machine (run as root).
set -euo pipefail
need=()
command -v mariadbd >/dev/null || need+=(mariadb-server)
command -v mariabackup >/dev/null || need+=(mariadb-backup)
command -v mariadb >/dev/null || need+=(mariadb-client)
command -v mvn >/dev/null || need+=(maven)
command -v javac >/dev/null || need+=(openjdk-17-jdk-headless)
command -v setsid >/dev/null || need+=(util-linux)
command -v curl >/dev/null || need+=(curl)
command -v jq >/dev/null || need+=(jq)
[ -x /usr/bin/chromium ] || need+=(chromium)   # Swagger UI browser check (SwaggerUiIT)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

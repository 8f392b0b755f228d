#!/usr/bin/env bash
# Installs what the service needs on a fresh Debian machine (run as root); with --for-tests, also what only the
# tests need (Chromium for the Swagger UI check, npm and the Kubernetes schemas for the manifest check, iproute2
# for the network namespace that plays another host, openssl for the key-rotation check).
set -euo pipefail
for_tests=${1:-}
need=()
command -v mariadbd >/dev/null || need+=(mariadb-server)
command -v mariabackup >/dev/null || need+=(mariadb-backup)
command -v mariadb >/dev/null || need+=(mariadb-client)
command -v mvn >/dev/null || need+=(maven)
command -v javac >/dev/null || need+=(openjdk-17-jdk-headless)
command -v zstd >/dev/null || need+=(zstd)             # the bench's plain commands and reading a set by hand (zstd -dc | mbstream -x)
command -v setsid >/dev/null || need+=(util-linux)
command -v setpriv >/dev/null || need+=(util-linux)   # restore tools run as the tenant's OS user
command -v useradd >/dev/null || need+=(passwd)       # one OS user per tenant when the service runs as root
command -v curl >/dev/null || need+=(curl)
command -v jq >/dev/null || need+=(jq)
if [ "$for_tests" = --for-tests ]; then
  [ -x /usr/bin/chromium ] || need+=(chromium)   # Swagger UI browser check (SwaggerUiIT)
  command -v npm >/dev/null || need+=(npm)         # k8s manifest validator (k8s/validate)
  [ -x /usr/sbin/ip ] || need+=(iproute2)         # another host in a network namespace (TestNetwork)
  command -v openssl >/dev/null || need+=(openssl) # a new agent key made as the README says (KeyRotationIT)
fi
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
if [ "$for_tests" = --for-tests ]; then
  # Kubernetes schemas for the manifest test, installed now so that the test itself runs offline
  K8S_VALIDATE="$(dirname "$0")/../k8s/validate"
  [ -d "$K8S_VALIDATE/node_modules/kubernetes-models" ] || (cd "$K8S_VALIDATE" && npm ci --no-audit --no-fund --loglevel=error)
fi

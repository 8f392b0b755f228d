# shellcheck shell=bash
# Shell helpers for driving the tenant-backup API with curl and jq; sourced by demo.sh and bench/*.sh.
# Needs API (e.g. http://127.0.0.1:2886/api/v1).

# call METHOD PATH [JSON] -> prints .data, exits on an error envelope
call() {
  local out
  # the body on stdin: no password in the process list
  out=$(curl -sS -X "$1" -H 'Content-Type: application/json' ${3:+--data-binary @-} "$API$2" <<<"${3:-}")
  if [ "$(jq -r .successful <<<"$out")" != true ]; then echo "$1 $2 failed: $out" >&2; exit 1; fi
  jq -c '.data // {}' <<<"$out"
}

# wait_dag GENERIC_ID -> waits for SUCCEED and prints the DAG with details; exits if it FAILED. Polls the summary every
# POLL_SECONDS (default 0.2).
wait_dag() {
  local state
  for _ in $(seq 1 36000); do
    state=$(call GET "/task/dag/$1?show_details=false" | jq -r .state)
    case $state in
      SUCCEED) call GET "/task/dag/$1?show_details=true" | jq .; return 0 ;;
      FAILED) call GET "/task/dag/$1?show_details=true" | jq . >&2; echo "DAG $1 FAILED" >&2; exit 1 ;;
    esac
    sleep "${POLL_SECONDS:-0.2}"
  done
  echo "DAG $1 did not finish" >&2; exit 1
}

# ensure_service: starts the packaged service in the background (on the port of API) unless it already answers
ensure_service() {
  if ! curl -sf "$API/status" >/dev/null; then
    [ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q -DskipTests package
    echo "Starting tenant-backup (log: /tmp/tenant-backup.log)"
    local port
    port=$(sed -nE 's#^https?://[^/]+:([0-9]+)/.*#\1#p' <<<"$API")
    # the local metadata DB of scripts/metadata-db.sh has the default account: allowed for demos and benchmarks only
    TENANT_BACKUP_ALLOW_DEFAULT_DB_CREDENTIALS=${TENANT_BACKUP_ALLOW_DEFAULT_DB_CREDENTIALS:-true} \
      QUARKUS_HTTP_PORT=${QUARKUS_HTTP_PORT:-${port:-2886}} \
      setsid java -jar target/quarkus-app/quarkus-run.jar >/tmp/tenant-backup.log 2>&1 </dev/null &
    for _ in $(seq 1 120); do curl -sf "$API/status" >/dev/null && return 0; sleep 0.5; done
    echo "tenant-backup did not start; see /tmp/tenant-backup.log" >&2; exit 1
  fi
}

# ensure_tenant NAME ROOT_PASSWORD: creates the tenant unless it exists; prints its info
ensure_tenant() {
  if ! curl -s "$API/tenant/$1" | jq -e .successful >/dev/null; then
    local dag
    dag=$(call POST /tenant "{\"name\":\"$1\",\"root_password\":\"$2\",\"charset\":\"utf8mb4\"}")
    wait_dag "$(jq -r .id <<<"$dag")" >/dev/null
  fi
  call GET "/tenant/$1"
}

# bench_tenant NAME ROOT_PASSWORD: dependencies, metadata database, service and tenant ready; prints the tenant's info
bench_tenant() {
  bash scripts/install-deps.sh >/dev/null
  bash scripts/metadata-db.sh >/dev/null
  ensure_service >&2
  ensure_tenant "$1" "$2"
}

# configure_backup TENANT DEST: file:// data and archive destinations below DEST; waits for the config DAG
configure_backup() {
  call POST "/tenant/$1/backup/config" \
    "{\"data_base_uri\":\"file://$2/data\",\"archive_base_uri\":\"file://$2/archive\"}" \
    | jq -r .id | { read -r id; wait_dag "$id" >/dev/null; }
}

#!/usr/bin/env bash
# Hand check of the collector set-up (not part of .ci/run): starts Jaeger (unless
# OTELCOL_SMOKE_JAEGER=0) and the collector, sends one trace and one log record over OTLP/gRPC and
# over OTLP/HTTP with .ci/otlp-send.py, waits for them in the collector's JSON-lines files and the
# traces in Jaeger's query API, restarts the collector on the same ports and checks both again.
# The OTLP client (opentelemetry-sdk and -exporter-otlp 1.45.2) goes into a cached venv.
set -euo pipefail
cd "$(dirname "$0")/.."

CLIENT_VENV=${XDG_CACHE_HOME:-$HOME/.cache}/tracewire/otlp-client-1.45.2
if [ ! -x "$CLIENT_VENV/bin/python" ] || ! "$CLIENT_VENV/bin/python" -c 'import opentelemetry.exporter.otlp.proto.grpc, opentelemetry.sdk' 2>/dev/null; then
  echo "== otelcol-smoke: installing the OTLP client into $CLIENT_VENV"
  python3 -m venv "$CLIENT_VENV"
  "$CLIENT_VENV/bin/pip" install -q opentelemetry-sdk==1.45.2 opentelemetry-exporter-otlp==1.45.2
fi
send() { "$CLIENT_VENV/bin/python" .ci/otlp-send.py "$@"; }

if [ "${OTELCOL_SMOKE_JAEGER:-1}" = 1 ]; then
  source .ci/jaeger-lib.sh
  start_jaeger
fi
source .ci/otelcol-lib.sh
start_otelcol

checks=0
wait_for() { # DESCRIPTION COMMAND... -> retries COMMAND for up to 30 s
  local what=$1; shift
  for _ in $(seq 1 120); do
    if "$@"; then checks=$((checks + 1)); echo "ok: $what"; return 0; fi
    sleep 0.25
  done
  echo "FAILED: $what" >&2
  return 1
}
in_jaeger() { curl -sf "$TRACEWIRE_JAEGER_QUERY_URL/api/traces/$1" | grep -q "\"operationName\":\"chat $2\""; }

round() { # TAG-SUFFIX
  local grpc_id http_id
  grpc_id=$(send --protocol grpc --endpoint "$TRACEWIRE_OTELCOL_GRPC_ENDPOINT" --tag "grpc-$1")
  http_id=$(send --protocol http --endpoint "$TRACEWIRE_OTELCOL_HTTP_ENDPOINT" --tag "http-$1")
  wait_for "gRPC trace $grpc_id in $TRACEWIRE_OTELCOL_TRACES_FILE" grep -q "\"traceId\":\"$grpc_id\"" "$TRACEWIRE_OTELCOL_TRACES_FILE"
  wait_for "HTTP trace $http_id in the traces file" grep -q "\"traceId\":\"$http_id\"" "$TRACEWIRE_OTELCOL_TRACES_FILE"
  wait_for "gRPC log record in $TRACEWIRE_OTELCOL_LOGS_FILE" grep -q "\"stringValue\":\"log grpc-$1\"" "$TRACEWIRE_OTELCOL_LOGS_FILE"
  wait_for "HTTP log record in the logs file" grep -q "\"stringValue\":\"log http-$1\"" "$TRACEWIRE_OTELCOL_LOGS_FILE"
  if [ -n "${TRACEWIRE_JAEGER_QUERY_URL:-}" ]; then
    wait_for "gRPC trace $grpc_id in Jaeger" in_jaeger "$grpc_id" "grpc-$1"
    wait_for "HTTP trace $http_id in Jaeger" in_jaeger "$http_id" "http-$1"
  fi
}

round 1
old_pid=$TRACEWIRE_OTELCOL_PID
restart_otelcol
[ "$TRACEWIRE_OTELCOL_PID" != "$old_pid" ] || { echo "FAILED: the collector was not restarted" >&2; exit 1; }
round 2
wait_for "lines from before the restart are kept" grep -q '"stringValue":"log grpc-1"' "$TRACEWIRE_OTELCOL_LOGS_FILE"
echo "otelcol-smoke: $checks passed, 0 failed"

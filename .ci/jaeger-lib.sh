#!/usr/bin/env bash
# Sourced by .ci/run and .ci/jaeger-e2e.sh: builds (or reuses) Jaeger v2.13.0 and starts it on
# 127.0.0.1 with in-memory storage; exports TRACEWIRE_JAEGER_OTLP_ENDPOINT (OTLP/HTTP traces URL)
# and TRACEWIRE_JAEGER_QUERY_URL for JaegerIT, and TRACEWIRE_JAEGER_OTLP_GRPC (host:port of its
# OTLP/gRPC receiver, for .ci/otelcol-lib.sh); stops it on exit (before any EXIT trap set earlier).
# Ports can be moved with JAEGER_*_PORT.
start_jaeger() {
OTLP_HTTP_PORT=${JAEGER_OTLP_HTTP_PORT:-4318}
OTLP_GRPC_PORT=${JAEGER_OTLP_GRPC_PORT:-4317}
QUERY_HTTP_PORT=${JAEGER_QUERY_HTTP_PORT:-16686}
QUERY_GRPC_PORT=${JAEGER_QUERY_GRPC_PORT:-16685}
HEALTH_PORT=${JAEGER_HEALTH_PORT:-13133}
WORK=${JAEGER_WORK_DIR:-target/jaeger-e2e}
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)

start=$(date +%s)
echo "== jaeger-e2e: building or reusing Jaeger v2.13.0 (Go module github.com/jaegertracing/jaeger v1.76.0)"
JAEGER_BIN=$(bash .ci/jaeger-build.sh)
echo "== jaeger-e2e: binary $JAEGER_BIN ($(( $(date +%s) - start )) s)"

cat > "$WORK/jaeger-ci.yaml" <<YAML
service:
  extensions: [jaeger_storage, jaeger_query, healthcheckv2]
  pipelines:
    traces:
      receivers: [otlp]
      processors: [batch]
      exporters: [jaeger_storage_exporter]
  telemetry:
    metrics:
      level: none
    logs:
      level: info
extensions:
  healthcheckv2:
    use_v2: true
    http:
      endpoint: 127.0.0.1:${HEALTH_PORT}
  jaeger_storage:
    backends:
      memstore:
        memory:
          max_traces: 100000
  jaeger_query:
    storage:
      traces: memstore
    enable_tracing: false
    http:
      endpoint: 127.0.0.1:${QUERY_HTTP_PORT}
    grpc:
      endpoint: 127.0.0.1:${QUERY_GRPC_PORT}
receivers:
  otlp:
    protocols:
      grpc:
        endpoint: 127.0.0.1:${OTLP_GRPC_PORT}
      http:
        endpoint: 127.0.0.1:${OTLP_HTTP_PORT}
processors:
  batch: {}
exporters:
  jaeger_storage_exporter:
    trace_storage: memstore
YAML

"$JAEGER_BIN" --config "$WORK/jaeger-ci.yaml" > "$WORK/jaeger.log" 2>&1 &
JAEGER_PID=$!
stop_jaeger() {
  if kill -0 "$JAEGER_PID" 2>/dev/null; then
    kill "$JAEGER_PID" 2>/dev/null || true
    wait "$JAEGER_PID" 2>/dev/null || true
  fi
}
previous_exit_trap=""
eval "set -- $(trap -p EXIT)"
if [ $# -ge 3 ]; then previous_exit_trap=$3; fi
case "$previous_exit_trap" in
  *stop_jaeger*) ;;
  *) trap "stop_jaeger${previous_exit_trap:+; $previous_exit_trap}" EXIT ;;
esac

ready=false
for _ in $(seq 1 240); do
  if curl -sf "http://127.0.0.1:${HEALTH_PORT}/status" >/dev/null; then ready=true; break; fi
  if ! kill -0 "$JAEGER_PID" 2>/dev/null; then break; fi
  sleep 0.5
done
if [ "$ready" != true ]; then
  echo "jaeger-e2e: Jaeger did not become ready; its log:" >&2
  tail -50 "$WORK/jaeger.log" >&2
  exit 1
fi
echo "== jaeger-e2e: Jaeger ready (pid $JAEGER_PID; OTLP http 127.0.0.1:${OTLP_HTTP_PORT}, grpc 127.0.0.1:${OTLP_GRPC_PORT}, query 127.0.0.1:${QUERY_HTTP_PORT})"

export TRACEWIRE_JAEGER_OTLP_ENDPOINT="http://127.0.0.1:${OTLP_HTTP_PORT}/v1/traces"
export TRACEWIRE_JAEGER_QUERY_URL="http://127.0.0.1:${QUERY_HTTP_PORT}"
export TRACEWIRE_JAEGER_OTLP_GRPC="127.0.0.1:${OTLP_GRPC_PORT}"
}

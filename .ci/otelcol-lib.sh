#!/usr/bin/env bash
# Sourced (from the repository root): builds (or reuses) the collector of .ci/otelcol-build.sh and
# runs it on 127.0.0.1 for end-to-end tests.
#
#   start_otelcol    picks free ports, writes the config, starts the collector, waits until its
#                    health check answers and both OTLP ports accept connections, exports:
#                      TRACEWIRE_OTELCOL_GRPC_ENDPOINT    http://127.0.0.1:PORT (OTLP/gRPC)
#                      TRACEWIRE_OTELCOL_HTTP_ENDPOINT    http://127.0.0.1:PORT (OTLP/HTTP base URL)
#                      TRACEWIRE_OTELCOL_HTTP_TRACES_URL  ...HTTP_ENDPOINT/v1/traces
#                      TRACEWIRE_OTELCOL_HTTP_LOGS_URL    ...HTTP_ENDPOINT/v1/logs
#                      TRACEWIRE_OTELCOL_HEALTH_URL       http://127.0.0.1:PORT/ (200 when ready)
#                      TRACEWIRE_OTELCOL_TRACES_FILE      JSON lines, one ExportTraceServiceRequest a line
#                      TRACEWIRE_OTELCOL_LOGS_FILE        JSON lines, one ExportLogsServiceRequest a line
#                      TRACEWIRE_OTELCOL_LOG              the collector's own log
#                      TRACEWIRE_OTELCOL_PID
#                    and stops the collector when the shell exits (run before any EXIT trap set earlier).
#   stop_otelcol     stops it (SIGTERM, then SIGKILL after 20 s); the files stay.
#   restart_otelcol  stops it and starts it again on the same ports with the same config; the
#                    output files are appended to, so lines written before the restart stay.
#
# Inputs (all optional):
#   TRACEWIRE_OTELCOL_OUT_DIR   where traces.jsonl and logs.jsonl go (default $OTELCOL_WORK_DIR/out);
#                               start_otelcol empties both files, restart_otelcol does not
#   OTELCOL_WORK_DIR            config and log (default target/otelcol-e2e)
#   OTELCOL_GRPC_PORT, OTELCOL_HTTP_PORT, OTELCOL_HEALTH_PORT   fixed ports instead of free ones
#   TRACEWIRE_JAEGER_OTLP_GRPC  host:port of Jaeger's OTLP/gRPC receiver (start_jaeger exports it):
#                               when set, the traces pipeline also exports there (plaintext gRPC)
#   OTELCOL_DEBUG=1             also log every span and log record (debug exporter, detailed)

_otelcol_free_ports() { # N -> N free TCP ports on 127.0.0.1, one a line
  python3 - "$1" <<'PY'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    socks.append(s)
for s in socks:
    print(s.getsockname()[1])
    s.close()
PY
}

_otelcol_port_open() { # PORT -> 0 when something accepts TCP connections on 127.0.0.1:PORT
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

_otelcol_add_exit_trap() { # CMD -> runs CMD on exit, before whatever EXIT trap was already set
  local cmd=$1 previous=""
  eval "set -- $(trap -p EXIT)"
  if [ $# -ge 3 ]; then previous=$3; fi
  case "$previous" in *"$cmd"*) return 0 ;; esac
  # shellcheck disable=SC2064
  trap "$cmd${previous:+; $previous}" EXIT
}

start_otelcol() {
  local work out ports exporters_traces exporters_logs debug_exporter="" jaeger_exporter=""
  work=${OTELCOL_WORK_DIR:-target/otelcol-e2e}
  mkdir -p "$work" && work=$(cd "$work" && pwd)
  out=${TRACEWIRE_OTELCOL_OUT_DIR:-$work/out}
  mkdir -p "$out" && out=$(cd "$out" && pwd)

  local began=$SECONDS
  echo "== otelcol: building or reusing the OpenTelemetry Collector v0.161.0"
  OTELCOL_BIN=$(bash .ci/otelcol-build.sh) || return 1
  echo "== otelcol: binary $OTELCOL_BIN ($(( SECONDS - began )) s)"

  ports=$(_otelcol_free_ports 3) || return 1
  _OTELCOL_GRPC_PORT=${OTELCOL_GRPC_PORT:-$(sed -n 1p <<<"$ports")}
  _OTELCOL_HTTP_PORT=${OTELCOL_HTTP_PORT:-$(sed -n 2p <<<"$ports")}
  _OTELCOL_HEALTH_PORT=${OTELCOL_HEALTH_PORT:-$(sed -n 3p <<<"$ports")}

  exporters_traces="file/traces"
  exporters_logs="file/logs"
  if [ -n "${TRACEWIRE_JAEGER_OTLP_GRPC:-}" ]; then
    exporters_traces="$exporters_traces, otlp_grpc/jaeger"
    jaeger_exporter="
  otlp_grpc/jaeger:
    endpoint: ${TRACEWIRE_JAEGER_OTLP_GRPC}
    tls:
      insecure: true
    retry_on_failure:
      max_elapsed_time: 60s"
  fi
  if [ "${OTELCOL_DEBUG:-0}" = 1 ]; then
    exporters_traces="$exporters_traces, debug"
    exporters_logs="$exporters_logs, debug"
    debug_exporter="
  debug:
    verbosity: detailed"
  fi

  _OTELCOL_CONFIG="$work/otelcol.yaml"
  cat > "$_OTELCOL_CONFIG" <<YAML
# Written by .ci/otelcol-lib.sh start_otelcol.
extensions:
  health_check:
    endpoint: 127.0.0.1:${_OTELCOL_HEALTH_PORT}
receivers:
  otlp:
    protocols:
      grpc:
        endpoint: 127.0.0.1:${_OTELCOL_GRPC_PORT}
      http:
        endpoint: 127.0.0.1:${_OTELCOL_HTTP_PORT}
exporters:
  file/traces:
    path: ${out}/traces.jsonl
    format: json
    append: true
    flush_interval: 100ms
  file/logs:
    path: ${out}/logs.jsonl
    format: json
    append: true
    flush_interval: 100ms${jaeger_exporter}${debug_exporter}
service:
  extensions: [health_check]
  telemetry:
    metrics:
      level: none
    logs:
      level: info
  pipelines:
    traces:
      receivers: [otlp]
      exporters: [${exporters_traces}]
    logs:
      receivers: [otlp]
      exporters: [${exporters_logs}]
YAML

  : > "$out/traces.jsonl"
  : > "$out/logs.jsonl"
  export TRACEWIRE_OTELCOL_GRPC_ENDPOINT="http://127.0.0.1:${_OTELCOL_GRPC_PORT}"
  export TRACEWIRE_OTELCOL_HTTP_ENDPOINT="http://127.0.0.1:${_OTELCOL_HTTP_PORT}"
  export TRACEWIRE_OTELCOL_HTTP_TRACES_URL="${TRACEWIRE_OTELCOL_HTTP_ENDPOINT}/v1/traces"
  export TRACEWIRE_OTELCOL_HTTP_LOGS_URL="${TRACEWIRE_OTELCOL_HTTP_ENDPOINT}/v1/logs"
  export TRACEWIRE_OTELCOL_HEALTH_URL="http://127.0.0.1:${_OTELCOL_HEALTH_PORT}/"
  export TRACEWIRE_OTELCOL_TRACES_FILE="$out/traces.jsonl"
  export TRACEWIRE_OTELCOL_LOGS_FILE="$out/logs.jsonl"
  export TRACEWIRE_OTELCOL_LOG="$work/otelcol.log"
  : > "$TRACEWIRE_OTELCOL_LOG"
  _otelcol_add_exit_trap stop_otelcol
  _otelcol_launch
}

_otelcol_launch() {
  "$OTELCOL_BIN" --config "$_OTELCOL_CONFIG" >> "$TRACEWIRE_OTELCOL_LOG" 2>&1 &
  export TRACEWIRE_OTELCOL_PID=$!
  local ready=false
  for _ in $(seq 1 240); do
    if curl -sf "$TRACEWIRE_OTELCOL_HEALTH_URL" >/dev/null \
        && _otelcol_port_open "$_OTELCOL_GRPC_PORT" && _otelcol_port_open "$_OTELCOL_HTTP_PORT"; then
      ready=true; break
    fi
    if ! kill -0 "$TRACEWIRE_OTELCOL_PID" 2>/dev/null; then break; fi
    sleep 0.25
  done
  if [ "$ready" != true ]; then
    echo "otelcol: the collector did not become ready; its log ($TRACEWIRE_OTELCOL_LOG):" >&2
    tail -50 "$TRACEWIRE_OTELCOL_LOG" >&2
    stop_otelcol
    return 1
  fi
  echo "== otelcol: ready (pid $TRACEWIRE_OTELCOL_PID; OTLP grpc $TRACEWIRE_OTELCOL_GRPC_ENDPOINT," \
    "http $TRACEWIRE_OTELCOL_HTTP_ENDPOINT; files in $(dirname "$TRACEWIRE_OTELCOL_TRACES_FILE")${TRACEWIRE_JAEGER_OTLP_GRPC:+; traces also to Jaeger at $TRACEWIRE_JAEGER_OTLP_GRPC})"
}

stop_otelcol() {
  local pid=${TRACEWIRE_OTELCOL_PID:-}
  [ -n "$pid" ] || return 0
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 80); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    if kill -0 "$pid" 2>/dev/null; then
      echo "otelcol: pid $pid did not stop within 20 s of SIGTERM; killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  wait "$pid" 2>/dev/null || true
  return 0
}

restart_otelcol() {
  [ -n "${_OTELCOL_CONFIG:-}" ] || { echo "otelcol: restart_otelcol before start_otelcol" >&2; return 1; }
  stop_otelcol
  # The old process released its ports on exit; wait until nothing listens there any more.
  for _ in $(seq 1 40); do
    _otelcol_port_open "$_OTELCOL_GRPC_PORT" || _otelcol_port_open "$_OTELCOL_HTTP_PORT" || break
    sleep 0.25
  done
  echo "== otelcol: restarting on the same ports" >> "$TRACEWIRE_OTELCOL_LOG"
  _otelcol_launch
}

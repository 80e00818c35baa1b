#!/usr/bin/env bash
# End-to-end (issue 17): Tracewire -> OTLP (gRPC and http/protobuf) -> a real OpenTelemetry Collector
# -> its file exporter and Jaeger; and Tracewire -> OTLP/HTTP with OpenInference attributes -> Arize
# Phoenix. Starts Jaeger (.ci/jaeger-lib.sh), the collector forwarding traces to Jaeger
# (.ci/otelcol-lib.sh) and Phoenix (.ci/phoenix-lib.sh), all on 127.0.0.1, then runs exactly
# CollectorIT, PhoenixDemoIT and PhoenixIT with every external part required, and stops everything on exit.
# Prints how long each stage took. Self-contained: builds or reuses the cached binaries and venv
# under ${XDG_CACHE_HOME:-$HOME/.cache}/tracewire (first run on a new machine: Jaeger ~11 min,
# the collector ~6 min, the Phoenix venv ~4.5 min; cached: seconds).
#
# Needs: go >= 1.24, python3 3.11-3.14 with venv, curl, Maven, a JDK 17+.
# Jaeger's ports are free ones unless JAEGER_*_PORT are set (jaeger-lib's defaults are 4317/4318/16686).
# Extra Maven arguments can be given: bash .ci/otel-e2e.sh -o
set -euo pipefail
cd "$(dirname "$0")/.."

began=$SECONDS
timings=()
stage_began=$SECONDS
stage_name=""
stage() { # NAME: closes the previous stage (prints its time), opens the next
  if [ -n "$stage_name" ]; then
    local took=$(( SECONDS - stage_began ))
    timings+=("$(printf '%-60s %5d s' "$stage_name" "$took")")
    echo "== otel-e2e: $stage_name took $took s"
  fi
  stage_name=$1
  stage_began=$SECONDS
  [ -z "$stage_name" ] || echo "== otel-e2e: $stage_name"
}

free_ports() { # N -> N free TCP ports on 127.0.0.1, one a line
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

stage "jaeger: build or reuse, start"
ports=$(free_ports 5)
export JAEGER_OTLP_HTTP_PORT=${JAEGER_OTLP_HTTP_PORT:-$(sed -n 1p <<<"$ports")}
export JAEGER_OTLP_GRPC_PORT=${JAEGER_OTLP_GRPC_PORT:-$(sed -n 2p <<<"$ports")}
export JAEGER_QUERY_HTTP_PORT=${JAEGER_QUERY_HTTP_PORT:-$(sed -n 3p <<<"$ports")}
export JAEGER_QUERY_GRPC_PORT=${JAEGER_QUERY_GRPC_PORT:-$(sed -n 4p <<<"$ports")}
export JAEGER_HEALTH_PORT=${JAEGER_HEALTH_PORT:-$(sed -n 5p <<<"$ports")}
export JAEGER_WORK_DIR=${JAEGER_WORK_DIR:-target/otel-e2e/jaeger}
source .ci/jaeger-lib.sh
start_jaeger

stage "otelcol: build or reuse, start (traces also to Jaeger)"
export OTELCOL_WORK_DIR=${OTELCOL_WORK_DIR:-target/otel-e2e/otelcol}
source .ci/otelcol-lib.sh
start_otelcol
# the binary, for the private collector CollectorIT starts, stops and pauses for its fault cases
export TRACEWIRE_OTELCOL_BIN=$OTELCOL_BIN

stage "phoenix: install or reuse the venv, start"
export PHOENIX_LOG_DIR=${PHOENIX_LOG_DIR:-target/otel-e2e/phoenix}
source .ci/phoenix-lib.sh
start_phoenix

stage "maven: CollectorIT, PhoenixDemoIT, PhoenixIT (external parts required)"
status=0
mvn -B verify -pl exporters -am "$@" \
  -Dtest=NoUnitTestsInThisStage -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=CollectorIT,PhoenixDemoIT,PhoenixIT -Dfailsafe.failIfNoSpecifiedTests=false \
  -Dtracewire.requireExternal=true || status=$?

stage ""
echo "== otel-e2e: stage times"
printf '   %s\n' "${timings[@]}"
if [ "$status" -ne 0 ]; then
  echo "== otel-e2e: FAILED (mvn exit $status) after $(( SECONDS - began )) s; logs: $TRACEWIRE_OTELCOL_LOG," \
    "$TRACEWIRE_PHOENIX_LOG, $JAEGER_WORK_DIR/jaeger.log, exporters/target/failsafe-reports" >&2
  exit "$status"
fi
echo "== otel-e2e: passed in $(( SECONDS - began )) s"

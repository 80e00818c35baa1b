#!/usr/bin/env bash
# End-to-end: Tracewire -> OTLP/HTTP -> Jaeger v2 (in-memory storage) -> Jaeger query API.
# Builds Jaeger v2.13.0 (Go module v1.76.0) from the Go module proxy (cached, see jaeger-build.sh),
# starts it on 127.0.0.1, runs JaegerIT (a prompt | fake chat model | parser chain exported over
# OTLP) which polls /api/traces until the expected span tree, names and gen_ai attributes show up,
# then stops Jaeger. Needs: go >= 1.24, curl, Maven, a JDK. Ports can be moved with the variables below.
set -euo pipefail
cd "$(dirname "$0")/.."

source .ci/jaeger-lib.sh
start_jaeger
mvn -B -q -pl exporters -am verify \
  -Dtest=NoUnitTestsInThisStage -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=JaegerIT -Dit.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false \
  -Dtracewire.jaeger.required=true
echo "== jaeger-e2e: passed in $(( $(date +%s) - start )) s"

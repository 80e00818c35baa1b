#!/usr/bin/env bash
# Builds the consumer projects under consumers/ as a user would: each is an external Maven project on its
# framework's own parent or BOM, using only published io.tracewire:* coordinates. Installs the reactor to the
# local repository first (mvn install -DskipTests), then runs each consumer's mvn -B clean verify and says what ran.
# The Spring Boot consumer runs twice: alone, and with Micrometer tracing and Spring AI observations on
# (-Pmicrometer), where the known issue 22 item 7 split of blocking calls is reported (a skipped test), not failed.
# The plain Java app (otel-agent) runs in a JVM of its own under the OpenTelemetry Java agent.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
began=$(date +%s)
say() { echo; echo "== consumers: $* (+$(( $(date +%s) - began ))s)"; }

if [ "${CONSUMERS_SKIP_INSTALL:-}" != true ]; then
  # -DskipITs too: failsafe 3.6.1 does not read -DskipTests, and CI's main stage has just run every IT
  say "installing the reactor to the local repository (mvn -B install -DskipTests -DskipITs)"
  (cd "$root" && mvn -B -q install -DskipTests -DskipITs)
fi

summary=()
logs="$root/target/consumers"  # not under each project's target/, which its mvn clean deletes
mkdir -p "$logs"
run_consumer() {
  local name=$1; shift
  say "$name: mvn -B clean verify $*"
  local log="$logs/$name$(printf '%s' "$@" | tr -c 'A-Za-z0-9' '-').log"
  local rc=0
  (cd "$here/$name" && mvn -B clean verify "$@") > "$log" 2>&1 || rc=$?
  grep -E "Tests run:|BUILD|KNOWN ISSUE|consumer |ERROR|BanDuplicateClasses" "$log" || true
  if [ "$rc" -eq 0 ]; then
    local tests; tests=$(grep -E "^\[(INFO|WARNING)\] Tests run:" "$log" | tail -1 || true)
    summary+=("$name ${*:-}: PASSED (${tests#* })")
    if grep -q "KNOWN ISSUE" "$log"; then summary+=("  $(grep -m1 -o 'KNOWN ISSUE.*' "$log")"); fi
  else
    summary+=("$name ${*:-}: FAILED, mvn exit code $rc (log: $log)")
    failed=true
  fi
}

failed=false
run_consumer spring-boot
run_consumer spring-boot -Pmicrometer
run_consumer langchain4j
run_consumer otel-agent

say "summary"
printf '%s\n' "${summary[@]}"
[ "$failed" = false ]

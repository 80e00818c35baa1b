#!/usr/bin/env bash
# JMH regression guard: builds the benchmarks jar of this tree (with any uncommitted changes) and
# of a base commit (default: the parent of HEAD) side by side, runs a small JMH subset on both on
# this machine, alternating the two jars fork by fork, and prints the ratio
# new/base of every score with its error (text, and JSON in the output directory). It never
# judges the ratios: it exits non-zero only when it cannot build, a benchmark of the new tree
# fails, or the report cannot be made. See docs/benchmarks.md, "How to measure".
set -euo pipefail

usage() {
  cat <<'EOF'
usage: scripts/bench-guard.sh [options] [BASE_REF]

  BASE_REF          the commit to compare with (default: HEAD~1, the first parent of HEAD)
  --quick           the CI smoke subset and settings (5 benchmarks, -f 2 -wi 2 -w 1s -i 2 -r 500ms)
  --rounds N        run the whole subset N times, alternating the jars (default 1)
  --forks N         JMH forks per benchmark, side and round (default 2; at least 2), each its own JMH run
  --new-jar JAR     use this benchmarks jar (built from this tree) instead of building it
  --base-jar JAR    use this benchmarks jar for the base instead of building BASE_REF
  --out DIR         where jars, JMH results, logs and the report go (default target/bench-guard/<time>)
  --online          let Maven download what ~/.m2 lacks (default: offline first, online if offline fails)
  --jvm-args ARGS   extra JVM options for the benchmark forks (JMH -jvmArgsAppend)
  --jmh ARGS        JMH warm-up and measurement options instead of the mode's (e.g. "-wi 0 -i 1 -r 100ms"
                    to try the script out; forks stay --forks)
  -h, --help        this text

Environment: JAVA (the java to run, default: java on the PATH), GUARD_MVN_ARGS (extra Maven options,
e.g. -Dmaven.repo.local=/path).
EOF
}

quick=false; rounds=1; forks=2; new_jar=""; base_jar=""; out=""; online=false; jvm_args=""; jmh_override=""; base_ref=""
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=true ;;
    --rounds) rounds="${2:?--rounds needs a number}"; shift ;;
    --forks) forks="${2:?--forks needs a number}"; shift ;;
    --new-jar) new_jar="${2:?--new-jar needs a path}"; shift ;;
    --base-jar) base_jar="${2:?--base-jar needs a path}"; shift ;;
    --out) out="${2:?--out needs a directory}"; shift ;;
    --online) online=true ;;
    --jvm-args) jvm_args="${2:?--jvm-args needs a value}"; shift ;;
    --jmh) jmh_override="${2:?--jmh needs a value}"; shift ;;
    -h|--help) usage; exit 0 ;;
    -*) echo "bench-guard: unknown option $1" >&2; usage >&2; exit 2 ;;
    *) [ -z "$base_ref" ] || { echo "bench-guard: only one BASE_REF, got $base_ref and $1" >&2; exit 2; }; base_ref="$1" ;;
  esac
  shift
done
case "$rounds" in ''|*[!0-9]*|0) echo "bench-guard: --rounds must be a positive number" >&2; exit 2 ;; esac
case "$forks" in ''|*[!0-9]*|0|1) echo "bench-guard: --forks must be 2 or more (one fork cannot show fork-to-fork variance)" >&2; exit 2 ;; esac

for j in "$new_jar" "$base_jar"; do
  [ -z "$j" ] || [ -f "$j" ] || { echo "bench-guard: no such jar: $j" >&2; exit 2; }
done
abs() { case "$1" in ''|/*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }
new_jar="$(abs "$new_jar")"; base_jar="$(abs "$base_jar")"; out="$(abs "$out")"

repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
java="${JAVA:-java}"
command -v "$java" >/dev/null || { echo "bench-guard: no java ($java)" >&2; exit 2; }

# The subset: "name;JMH regex;JMH params". Each group is one JMH run per jar.
if [ "$quick" = true ]; then
  groups=(
    "producer;ProducerCostBenchmark\\.invokeLambda\$;-p sinks=3"
    "endtoend;EndToEndBenchmark\\.blockingToNoopSink\$;"
    "jsonl;JsonlBenchmark\\.encode\$;"
    "otel;OtelBridgeBenchmark\\.(bareSpan|bridgeRun)\$;-p makeCurrent=true"
  )
  settings="-wi 2 -w 1s -i 2 -r 500ms"
else
  groups=(
    "producer;ProducerCostBenchmark\\.invokeLambda\$;-p sinks=0,1,3"
    "dispatch;ProducerCostBenchmark\\.dispatch\$;-p sinks=3"
    "endtoend;EndToEndBenchmark\\.blockingToNoopSink\$;"
    "jsonl;JsonlBenchmark\\.(encode|sinkSustained)\$;"
    "otel;OtelBridgeBenchmark\\.(bareSpan|bridgeRun)\$;-p makeCurrent=true"
  )
  settings="-wi 3 -w 1s -i 4 -r 1s"
fi
[ -z "$jmh_override" ] || settings="$jmh_override"
jmh_settings="-f $forks $settings"

[ -n "$out" ] || out="target/bench-guard/$(date -u +%Y%m%dT%H%M%SZ)"
rm -rf "$out/base" "$out/new" "$out/logs" # results of an earlier run there would be pooled with these
mkdir -p "$out/base" "$out/new" "$out/logs"
out="$(cd "$out" && pwd)"
log() { echo "[bench-guard $(date -u +%H:%M:%S)] $*" >&2; }

# --- what is compared
head_sha="$(git rev-parse --short HEAD)"
dirty=""
if [ -n "$(git status --porcelain)" ]; then dirty=" + uncommitted changes"; fi
new_label="$head_sha$dirty (this tree)"
if [ -n "$base_jar" ]; then
  base_label="jar $base_jar"
else
  [ -n "$base_ref" ] || base_ref="HEAD~1"
  base_sha="$(git rev-parse -q --verify "$base_ref^{commit}")" || {
    echo "bench-guard: $base_ref is not a commit in this clone (a shallow clone has no parent; fetch more history or pass a ref)" >&2
    exit 2
  }
  base_label="$(git rev-parse --short "$base_sha") ($base_ref)"
fi
[ -z "$new_jar" ] || new_label="$head_sha$dirty (this tree, jar $new_jar)"
log "base: $base_label"
log "new:  $new_label"
log "output: $out"

# --- builds
mvn_build() { # dir log -> builds <dir>/benchmarks/target/benchmarks.jar
  local dir="$1" logf="$2"
  local args=(-B -q -f "$dir/pom.xml" -pl benchmarks -am package -DskipTests -Dmaven.javadoc.skip=true
    -Dmaven.source.skip=true ${GUARD_MVN_ARGS:-})
  if [ "$online" != true ] && mvn -o "${args[@]}" >"$logf" 2>&1; then return 0; fi
  if [ "$online" != true ] && ! grep -qiE "offline|has not been downloaded|Could not resolve|Cannot access" "$logf"; then
    return 1
  fi
  [ "$online" = true ] || log "offline build lacks artifacts; retrying online"
  mvn "${args[@]}" >"$logf" 2>&1
}

tmp=""
cleanup() {
  if [ -n "$tmp" ]; then
    git -C "$repo" worktree remove --force "$tmp/base" >/dev/null 2>&1 || true
    rm -rf "$tmp"
    git -C "$repo" worktree prune >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT

if [ -n "$new_jar" ]; then
  cp "$new_jar" "$out/new.jar"
else
  log "building the new tree's benchmarks jar (mvn -pl benchmarks -am package; log: $out/logs/build-new.log)"
  mvn_build "$repo" "$out/logs/build-new.log" || { echo "bench-guard: the new tree does not build; see $out/logs/build-new.log" >&2; tail -30 "$out/logs/build-new.log" >&2; exit 1; }
  cp benchmarks/target/benchmarks.jar "$out/new.jar"
fi
if [ -n "$base_jar" ]; then
  cp "$base_jar" "$out/base.jar"
else
  tmp="$(mktemp -d "${TMPDIR:-/tmp}/tracewire-guard.XXXXXX")"
  git worktree add -q --detach "$tmp/base" "$base_sha" >"$out/logs/worktree.log" 2>&1 \
    || { echo "bench-guard: git worktree add failed; see $out/logs/worktree.log" >&2; exit 1; }
  log "building the base's benchmarks jar in $tmp/base (log: $out/logs/build-base.log)"
  mvn_build "$tmp/base" "$out/logs/build-base.log" || { echo "bench-guard: the base $base_label does not build; see $out/logs/build-base.log" >&2; tail -30 "$out/logs/build-base.log" >&2; exit 1; }
  cp "$tmp/base/benchmarks/target/benchmarks.jar" "$out/base.jar"
  cleanup; tmp=""
fi
probe="$("$java" -cp "$out/new.jar" io.tracewire.bench.GuardReport 2>&1 || true)"
case "$probe" in
  *"usage: GuardReport"*) ;;
  *) echo "bench-guard: $out/new.jar has no io.tracewire.bench.GuardReport (--new-jar must be built from this tree)" >&2; exit 2 ;;
esac

# --- runs, alternating fork by fork: for each group, one JMH fork of one jar, then one of the
# other, --forks times each, the order flipping at every step (base new new base base new ...),
# so that a busy spell on the machine falls on both sides rather than on one.
load_before="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a)"
new_failed=false
base_missing=false
turn=0
run_jmh() { # side tag regex params; result files sort in run order (the report keeps it)
  local side="$1" tag="$2" regex="$3" params="$4"
  local result="$out/$side/$tag.json" logf="$out/logs/$side-$tag.log"
  local jvm=()
  [ -z "$jvm_args" ] || jvm=(-jvmArgsAppend "$jvm_args")
  if [ "$side" = base ] && [ "$base_missing" = "$tag_group" ]; then
    return 0 # this group already failed on the base: do not retry every fork
  fi
  # shellcheck disable=SC2086 # settings and params are word lists
  if "$java" -jar "$out/$side.jar" "$regex" $params -f 1 $settings "${jvm[@]}" -foe true -rf json -rff "$result" >"$logf" 2>&1; then
    log "  $side: $(grep -E '^[A-Za-z]+Benchmark\.' "$logf" | awk '{printf "%s%s", sep, $0; sep="; "}' | tr -s ' ')"
  else
    rm -f "$result"
    if [ "$side" = new ]; then
      new_failed=true
      log "  new: FAILED (see $logf)"
      tail -20 "$logf" >&2
    else
      base_missing="$tag_group"
      log "  base: failed or lacks these benchmarks (see $logf); the report lists them as missing"
    fi
  fi
}
log "JMH $jmh_settings, $rounds round(s) of ${#groups[@]} groups, one fork per JMH run, load average $load_before"
for round in $(seq 1 "$rounds"); do
  for g in "${groups[@]}"; do
    IFS=';' read -r name regex params <<<"$g"
    turn=$((turn + 1))
    tag_group="r$(printf %02d "$round")-$(printf %02d "$turn")-$name"
    log "round $round/$rounds, $name: $regex $params"
    for f in $(seq 1 "$forks"); do
      tag="$tag_group-f$(printf %02d "$f")"
      if [ $(((turn + f) % 2)) -eq 0 ]; then
        run_jmh base "$tag" "$regex" "$params"; run_jmh new "$tag" "$regex" "$params"
      else
        run_jmh new "$tag" "$regex" "$params"; run_jmh base "$tag" "$regex" "$params"
      fi
    done
  done
done
load_after="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a)"

# --- report (from the new tree's jar)
jdk="$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.runtime.version = //p')"
cpu="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -1)"
{
  echo "JMH regression guard, $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(nproc 2>/dev/null || echo ?) cores (${cpu:-unknown CPU}), JDK $jdk"
  echo "JMH $jmh_settings, $rounds round(s), the jars alternated fork by fork; load average $load_before before, $load_after after"
  echo "no timing is asserted: the verdicts are labels (Welch's t-test at 99.9%), never a failure"
  echo
} >"$out/report.txt"
"$java" -cp "$out/new.jar" io.tracewire.bench.GuardReport --base-label "$base_label" --new-label "$new_label" \
  --json "$out/report.json" --meta "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)" --meta "cores=$(nproc 2>/dev/null || echo ?)" \
  --meta "cpu=${cpu:-unknown}" --meta "jdk=$jdk" --meta "jmh=$jmh_settings" --meta "rounds=$rounds" \
  --meta "quick=$quick" --meta "load_before=$load_before" --meta "load_after=$load_after" \
  "$out/base" "$out/new" >>"$out/report.txt"
echo
cat "$out/report.txt"
echo
echo "report: $out/report.txt and $out/report.json (JMH results in $out/base, $out/new; logs in $out/logs)"
if [ "$new_failed" = true ]; then
  echo "bench-guard: a benchmark of the new tree failed (see $out/logs)" >&2
  exit 1
fi

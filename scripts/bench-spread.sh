#!/usr/bin/env bash
# The spread of `tracewire bench` over fresh JVMs: runs `bench --json --full` in N JVMs (default 20)
# for each given build, alternating the builds JVM by JVM, and prints per workload and build the
# min / median / max events/s, the worst JVM over the median and a text histogram (JSON too).
# With --vs-langchain it also runs the LangChain side once (langchain-core in the venv of
# scripts/langchain-venv.sh) and gives the x-LangChain ratios of the median and the worst JVM.
# It never judges the figures. See docs/benchmarks.md, "How to measure".
set -euo pipefail

usage() {
  cat <<'EOF'
usage: scripts/bench-spread.sh [options] [[LABEL=]JAR ...]

  JAR               a tracewire CLI jar (cli/target/tracewire.jar, the default) or a benchmarks jar
                    (its io.tracewire.bench.Harness is run); several builds are run alternately
  --jvms N          fresh JVMs per build (default 20)
  --runs N          timed runs per workload in each JVM (default 5, as tracewire bench)
  --small           the small sizes (default: --full, the published sizes)
  --workloads LIST  only these workloads, e.g. W1,W3 (CLI jars that have tracewire bench --workloads)
  --vs-langchain    also run the LangChain side once (needs python3; scripts/langchain-venv.sh)
  --langchain FILE  use this LangChain run (benchmarks/python/run_langchain.sh --json output)
  --java-opts OPTS  JVM options for every run (e.g. "-XX:+PrintCompilation"; stdout noise is skipped)
  --bins N          histogram bins per workload (default 10)
  --out DIR         where the runs and the report go (default target/bench-spread/<time>)
  -h, --help        this text

Environment: JAVA (the java to run, default: java on the PATH).
EOF
}

jvms=20; runs=5; full=true; workloads=""; vs_lc=false; lc_file=""; java_opts=""; bins=10; out=""; jars=()
while [ $# -gt 0 ]; do
  case "$1" in
    --jvms) jvms="${2:?--jvms needs a number}"; shift ;;
    --runs) runs="${2:?--runs needs a number}"; shift ;;
    --small) full=false ;;
    --workloads) workloads="${2:?--workloads needs a list}"; shift ;;
    --vs-langchain) vs_lc=true ;;
    --langchain) lc_file="${2:?--langchain needs a file}"; shift ;;
    --java-opts) java_opts="${2:?--java-opts needs a value}"; shift ;;
    --bins) bins="${2:?--bins needs a number}"; shift ;;
    --out) out="${2:?--out needs a directory}"; shift ;;
    -h|--help) usage; exit 0 ;;
    -*) echo "bench-spread: unknown option $1" >&2; usage >&2; exit 2 ;;
    *) jars+=("$1") ;;
  esac
  shift
done
for n in "$jvms" "$runs" "$bins"; do
  case "$n" in ''|*[!0-9]*|0) echo "bench-spread: --jvms, --runs and --bins take positive numbers" >&2; exit 2 ;; esac
done

repo="$(cd "$(dirname "$0")/.." && pwd)"
java="${JAVA:-java}"
[ ${#jars[@]} -gt 0 ] || jars=("now=$repo/cli/target/tracewire.jar")
[ -n "$out" ] || out="$repo/target/bench-spread/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
log() { echo "[bench-spread $(date -u +%H:%M:%S)] $*" >&2; }

jar_has() { # jar entry
  if command -v unzip >/dev/null; then unzip -l "$1" "$2" >/dev/null 2>&1; else jar tf "$1" | grep -x "$2" >/dev/null; fi # no -q: an early exit would fail jar with SIGPIPE under pipefail
}

labels=(); paths=(); kinds=()
for spec in "${jars[@]}"; do
  if [[ "$spec" == *=* ]]; then label="${spec%%=*}"; path="${spec#*=}"; else label="$(basename "$(dirname "$(dirname "$spec")")")-$((${#labels[@]} + 1))"; path="$spec"; fi
  [ -f "$path" ] || { echo "bench-spread: no such jar: $path (build it: mvn -B -o -q -pl cli -am package -DskipTests)" >&2; exit 2; }
  case "$label" in ''|*[!A-Za-z0-9._-]*) echo "bench-spread: label '$label' must be letters, digits, . _ -" >&2; exit 2 ;; esac
  if jar_has "$path" io/tracewire/cli/Main.class; then kind=cli
  elif jar_has "$path" io/tracewire/bench/Harness.class; then kind=harness
  else echo "bench-spread: $path is neither a tracewire CLI jar nor a benchmarks jar" >&2; exit 2
  fi
  if [ "$kind" = harness ] && { [ -n "$workloads" ] || [ "$runs" != 5 ]; }; then
    echo "bench-spread: --workloads and --runs need a CLI jar; $path is a benchmarks jar (its Harness runs all workloads, 5 runs each)" >&2; exit 2
  fi
  labels+=("$label"); paths+=("$path"); kinds+=("$kind")
  rm -rf "${out:?}/$label" # JVM results of an earlier run there would be counted with these
  mkdir -p "$out/$label"
done

# The report runs from this tree's jar (CLI first, then benchmarks).
tool=""
for t in "$repo/cli/target/tracewire.jar" "$repo/benchmarks/target/benchmarks.jar"; do
  if [ -f "$t" ] && jar_has "$t" io/tracewire/bench/Spread.class; then tool="$t"; break; fi
done
[ -n "$tool" ] || { echo "bench-spread: no jar of this tree has io.tracewire.bench.Spread; build one: mvn -B -o -q -pl benchmarks -am package -DskipTests" >&2; exit 2; }

size_flag=(); [ "$full" = true ] && size_flag=(--full)
load_before="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a)"
log "${#labels[@]} build(s) x $jvms JVMs, bench --json${size_flag[*]:+ ${size_flag[*]}} --runs $runs${workloads:+ --workloads $workloads}; load average $load_before; output $out"
failures=0
for i in $(seq 1 "$jvms"); do
  n=${#labels[@]}
  for k in $(seq 0 $((n - 1))); do
    j=$(( (k + i - 1) % n ))   # rotate which build goes first
    label="${labels[$j]}"; path="${paths[$j]}"
    file="$out/$label/jvm-$(printf %03d "$i")"
    # shellcheck disable=SC2086 # java_opts is a word list
    if [ "${kinds[$j]}" = cli ]; then
      cmd=("$java" $java_opts -jar "$path" bench --json "${size_flag[@]}" --runs "$runs")
      [ -z "$workloads" ] || cmd+=(--workloads "$workloads")
    else
      cmd=("$java" $java_opts -cp "$path" io.tracewire.bench.Harness --json "${size_flag[@]}")
    fi
    if "${cmd[@]}" >"$file.json" 2>"$file.log"; then
      summary="$(grep '^{' "$file.json" | tail -1 | grep -o '"name": "[A-Z0-9]*"\|"events_per_s": [0-9.]*' \
        | sed 's/"name": "\(.*\)"/\1/; s/"events_per_s": //' | paste -sd' ' | awk '{for (i = 1; i < NF; i += 2) printf "%s %.2f M  ", $i, $(i + 1) / 1e6}')"
      log "JVM $i/$jvms $label: $summary"
    else
      failures=$((failures + 1))
      mv "$file.json" "$file.failed"
      log "JVM $i/$jvms $label: FAILED (see $file.log)"
    fi
  done
done
lc_args=()
if [ "$vs_lc" = true ] && [ -z "$lc_file" ]; then
  lc_file="$out/langchain.json"
  log "LangChain side, once: benchmarks/python/run_langchain.sh --json${size_flag[*]:+ ${size_flag[*]}} --runs $runs"
  "$repo/benchmarks/python/run_langchain.sh" --json "${size_flag[@]}" --runs "$runs" >"$lc_file" 2>"$out/langchain.log" \
    || { echo "bench-spread: the LangChain side failed (see $out/langchain.log)" >&2; tail -20 "$out/langchain.log" >&2; exit 1; }
fi
[ -z "$lc_file" ] || lc_args=(--langchain "$lc_file")
load_after="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a)"

dirs=()
for label in "${labels[@]}"; do dirs+=("$label=$out/$label"); done
jdk="$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.runtime.version = //p')"
cpu="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -1)"
{
  echo "tracewire bench spread, $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(nproc 2>/dev/null || echo ?) cores (${cpu:-unknown CPU}), JDK $jdk"
  echo "bench --json${size_flag[*]:+ ${size_flag[*]}} --runs $runs${workloads:+ --workloads $workloads}${java_opts:+, JVM options $java_opts}; load average $load_before before, $load_after after"
  for j in "${!labels[@]}"; do echo "${labels[$j]}: ${paths[$j]}"; done
  [ "$failures" -eq 0 ] || echo "$failures JVM(s) failed and are left out (their logs are in $out)"
} >"$out/report.txt"
"$java" -cp "$tool" io.tracewire.bench.Spread --bins "$bins" --json "$out/spread.json" "${lc_args[@]}" "${dirs[@]}" >>"$out/report.txt"
echo
cat "$out/report.txt"
echo
echo "report: $out/report.txt and $out/spread.json (one JSON and log per JVM under $out/<build>)"

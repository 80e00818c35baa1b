#!/usr/bin/env bash
# Runs the LangChain side of the benchmark on the pinned langchain-core (installed once into a
# venv by scripts/langchain-venv.sh). Arguments go to bench_langchain.py (--full, --json, --runs N).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
python="$("$here/../../scripts/langchain-venv.sh")"
exec "$python" "$here/../src/main/resources/io/tracewire/bench/bench_langchain.py" "$@"

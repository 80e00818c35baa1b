#!/usr/bin/env bash
# Installs the pinned langchain-core into a virtual environment (once) and runs the LangChain side
# of the benchmark. Arguments are passed to bench_langchain.py (--full, --json, --runs N).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
LANGCHAIN_CORE_VERSION="${LANGCHAIN_CORE_VERSION:-1.6.0}"
venv="${TRACEWIRE_BENCH_VENV:-$HOME/.cache/tracewire/langchain-core-$LANGCHAIN_CORE_VERSION}"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import langchain_core" 2>/dev/null; then
  echo "installing langchain-core==$LANGCHAIN_CORE_VERSION into $venv" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "langchain-core==$LANGCHAIN_CORE_VERSION" >&2
fi
exec "$venv/bin/python" "$here/../src/main/resources/io/tracewire/bench/bench_langchain.py" "$@"

#!/usr/bin/env bash
# Ensures a virtual environment with the pinned langchain-core (the reference Tracewire conforms
# to) and prints the path of its python. Shared by the reference IT and the benchmark script.
set -euo pipefail
version="${LANGCHAIN_CORE_VERSION:-1.6.0}"
venv="${TRACEWIRE_LANGCHAIN_VENV:-$HOME/.cache/tracewire/langchain-core-$version}"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import langchain_core" 2>/dev/null; then
  command -v python3 >/dev/null || { echo "python3 is not installed" >&2; exit 1; }
  echo "installing langchain-core==$version into $venv" >&2
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install --quiet --disable-pip-version-check "langchain-core==$version" >&2
fi
echo "$venv/bin/python"

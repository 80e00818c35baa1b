#!/usr/bin/env bash
# Sourced (from the repository root): installs (or reuses) Arize Phoenix 20.26.1 from PyPI into a
# cached venv and runs it on 127.0.0.1 for end-to-end tests.
#
#   start_phoenix  creates ${XDG_CACHE_HOME:-$HOME/.cache}/tracewire/phoenix-20.26.1 when missing
#                  (pip install -r .ci/phoenix-requirements.txt, the full pinned set; Python 3.11 to
#                  3.14), starts `phoenix serve` on free ports with a fresh SQLite working dir under
#                  a temp dir, with telemetry, external resources, the agent assistant and the MCP
#                  server off, waits until /readyz answers and the gRPC port accepts, and exports:
#                    TRACEWIRE_PHOENIX_URL                  http://127.0.0.1:PORT (UI, REST /v1, /graphql)
#                    TRACEWIRE_PHOENIX_OTLP_HTTP_ENDPOINT   $TRACEWIRE_PHOENIX_URL/v1/traces (OTLP/HTTP protobuf)
#                    TRACEWIRE_PHOENIX_OTLP_GRPC_ENDPOINT   http://127.0.0.1:PORT (OTLP/gRPC traces)
#                    TRACEWIRE_PHOENIX_PID
#                    TRACEWIRE_PHOENIX_WORKING_DIR          the temp dir (phoenix.db), removed on stop
#                    TRACEWIRE_PHOENIX_LOG                  Phoenix's own log
#                    TRACEWIRE_PHOENIX_PYTHON               the venv's python (has opentelemetry-sdk and
#                                                           -exporter-otlp 1.45.2, for .ci/otlp-send.py)
#                  and stops Phoenix when the shell exits (run before any EXIT trap set earlier).
#   stop_phoenix   stops it (SIGTERM, then SIGKILL after 20 s) and removes the working dir unless
#                  PHOENIX_KEEP_WORK_DIR=1.
# Inputs (optional): PHOENIX_PORT and PHOENIX_GRPC_PORT (fixed ports instead of free ones),
# PHOENIX_LOG_DIR (default target/phoenix-e2e), PHOENIX_VENV (another venv location).
# Reading spans back: docs/notes-phoenix-api.md.

PHOENIX_VERSION=20.26.1

_phoenix_free_ports() { # N -> N free TCP ports on 127.0.0.1, one a line
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

_phoenix_add_exit_trap() { # CMD -> runs CMD on exit, before whatever EXIT trap was already set
  local cmd=$1 previous=""
  eval "set -- $(trap -p EXIT)"
  if [ $# -ge 3 ]; then previous=$3; fi
  case "$previous" in *"$cmd"*) return 0 ;; esac
  # shellcheck disable=SC2064
  trap "$cmd${previous:+; $previous}" EXIT
}

_phoenix_venv() { # -> prints the venv's path once it holds the pinned set
  local venv stamp
  venv=${PHOENIX_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/tracewire/phoenix-$PHOENIX_VERSION}
  stamp=$(sha256sum .ci/phoenix-requirements.txt | cut -d' ' -f1)
  if [ ! -x "$venv/bin/phoenix" ] || [ "$(cat "$venv/.tracewire-requirements.sha256" 2>/dev/null)" != "$stamp" ]; then
    python3 -c 'import sys; sys.exit(0 if (3, 11) <= sys.version_info[:2] < (3, 15) else 1)' || {
      echo "phoenix: Phoenix $PHOENIX_VERSION needs Python 3.11 to 3.14; python3 is $(python3 --version 2>&1)" >&2
      return 1
    }
    echo "phoenix: installing arize-phoenix $PHOENIX_VERSION into $venv" >&2
    rm -rf "$venv"
    python3 -m venv "$venv" >&2 || return 1
    "$venv/bin/pip" install -q --disable-pip-version-check -r .ci/phoenix-requirements.txt >&2 || return 1
    echo "$stamp" > "$venv/.tracewire-requirements.sha256"
  fi
  echo "$venv"
}

start_phoenix() {
  local venv ports log_dir began=$SECONDS
  echo "== phoenix: installing or reusing arize-phoenix $PHOENIX_VERSION"
  venv=$(_phoenix_venv) || return 1
  echo "== phoenix: venv $venv ($(( SECONDS - began )) s)"

  ports=$(_phoenix_free_ports 2) || return 1
  _PHOENIX_HTTP_PORT=${PHOENIX_PORT:-$(sed -n 1p <<<"$ports")}
  _PHOENIX_GRPC_PORT=${PHOENIX_GRPC_PORT:-$(sed -n 2p <<<"$ports")}
  log_dir=${PHOENIX_LOG_DIR:-target/phoenix-e2e}
  mkdir -p "$log_dir" && log_dir=$(cd "$log_dir" && pwd)
  export TRACEWIRE_PHOENIX_WORKING_DIR
  TRACEWIRE_PHOENIX_WORKING_DIR=$(mktemp -d "${TMPDIR:-/tmp}/tracewire-phoenix.XXXXXX") || return 1
  export TRACEWIRE_PHOENIX_LOG="$log_dir/phoenix.log"
  export TRACEWIRE_PHOENIX_PYTHON="$venv/bin/python"

  unset TRACEWIRE_PHOENIX_PID
  _phoenix_add_exit_trap stop_phoenix
  # No OTEL_* variable of the caller reaches Phoenix (it would trace itself or export elsewhere).
  # shellcheck disable=SC2046
  env $(env | sed -n 's/^\(OTEL_[A-Za-z0-9_]*\)=.*/-u \1/p') \
    PHOENIX_HOST=127.0.0.1 \
    PHOENIX_PORT="$_PHOENIX_HTTP_PORT" \
    PHOENIX_GRPC_PORT="$_PHOENIX_GRPC_PORT" \
    PHOENIX_WORKING_DIR="$TRACEWIRE_PHOENIX_WORKING_DIR" \
    PHOENIX_TELEMETRY_ENABLED=false \
    PHOENIX_ALLOW_EXTERNAL_RESOURCES=false \
    PHOENIX_ENABLE_PROMETHEUS=false \
    PHOENIX_DISABLE_AGENT_ASSISTANT=true \
    PHOENIX_AGENTS_DISABLE_WEB_ACCESS=true \
    PHOENIX_AGENTS_DISABLE_GITHUB=true \
    PHOENIX_ENABLE_MCP_SERVER=false \
    PHOENIX_ENABLE_AUTH=false \
    "$venv/bin/phoenix" serve > "$TRACEWIRE_PHOENIX_LOG" 2>&1 &
  export TRACEWIRE_PHOENIX_PID=$!

  export TRACEWIRE_PHOENIX_URL="http://127.0.0.1:${_PHOENIX_HTTP_PORT}"
  export TRACEWIRE_PHOENIX_OTLP_HTTP_ENDPOINT="${TRACEWIRE_PHOENIX_URL}/v1/traces"
  export TRACEWIRE_PHOENIX_OTLP_GRPC_ENDPOINT="http://127.0.0.1:${_PHOENIX_GRPC_PORT}"
  local ready=false
  for _ in $(seq 1 480); do
    if curl -sf "$TRACEWIRE_PHOENIX_URL/readyz" >/dev/null \
        && (exec 3<>"/dev/tcp/127.0.0.1/$_PHOENIX_GRPC_PORT") 2>/dev/null; then
      ready=true; break
    fi
    if ! kill -0 "$TRACEWIRE_PHOENIX_PID" 2>/dev/null; then break; fi
    sleep 0.25
  done
  if [ "$ready" != true ]; then
    echo "phoenix: Phoenix did not become ready within 120 s; its log ($TRACEWIRE_PHOENIX_LOG):" >&2
    tail -50 "$TRACEWIRE_PHOENIX_LOG" >&2
    stop_phoenix
    return 1
  fi
  echo "== phoenix: ready in $(( SECONDS - began )) s (pid $TRACEWIRE_PHOENIX_PID; $TRACEWIRE_PHOENIX_URL," \
    "OTLP grpc $TRACEWIRE_PHOENIX_OTLP_GRPC_ENDPOINT)"
}

stop_phoenix() {
  local pid=${TRACEWIRE_PHOENIX_PID:-}
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 80); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    if kill -0 "$pid" 2>/dev/null; then
      echo "phoenix: pid $pid did not stop within 20 s of SIGTERM; killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
  fi
  if [ "${PHOENIX_KEEP_WORK_DIR:-0}" != 1 ] && [ -n "${TRACEWIRE_PHOENIX_WORKING_DIR:-}" ]; then
    case "$TRACEWIRE_PHOENIX_WORKING_DIR" in
      */tracewire-phoenix.*) rm -rf "$TRACEWIRE_PHOENIX_WORKING_DIR" ;;
    esac
  fi
  return 0
}

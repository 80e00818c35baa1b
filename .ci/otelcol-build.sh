#!/usr/bin/env bash
# Builds the small OpenTelemetry Collector of .ci/otelcol/ (release v0.161.0, stable core modules
# v1.67.0: OTLP receiver, OTLP/file/debug exporters, health_check extension) from the Go module
# proxy and caches the binary under ${XDG_CACHE_HOME:-$HOME/.cache}/tracewire/otelcol-v0.161.0/.
# Prints the binary's path on stdout; everything else goes to stderr. Idempotent: the cached binary
# is reused while the sources it was built from (go.mod, go.sum, *.go) are unchanged.
# The module is what the collector builder (ocb) would generate for that component list, written
# by hand so that the build needs nothing but the go command; go.sum pins every dependency.
set -euo pipefail
cd "$(dirname "$0")/.."
OTELCOL_VERSION=v0.161.0
SRC=.ci/otelcol
OTELCOL_DIR=${OTELCOL_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/tracewire/otelcol-$OTELCOL_VERSION}
case "$OTELCOL_DIR" in /*) ;; *) OTELCOL_DIR="$PWD/$OTELCOL_DIR" ;; esac
BIN="$OTELCOL_DIR/bin/otelcol-tracewire"
STAMP="$OTELCOL_DIR/bin/sources.sha256"

stamp=$(cat "$SRC/go.mod" "$SRC/go.sum" "$SRC"/*.go | sha256sum | cut -d' ' -f1)
if [ ! -x "$BIN" ] || [ "$(cat "$STAMP" 2>/dev/null)" != "$stamp" ]; then
  if ! command -v go >/dev/null && [ -x /usr/local/go/bin/go ]; then export PATH="$PATH:/usr/local/go/bin"; fi
  command -v go >/dev/null || { echo "otelcol-build: 'go' (1.26 or newer) is required" >&2; exit 1; }
  mkdir -p "$OTELCOL_DIR/bin"
  echo "otelcol-build: building the collector $OTELCOL_VERSION into $OTELCOL_DIR" >&2
  # -mod=readonly: go.mod and go.sum are complete; a build never rewrites them.
  CGO_ENABLED=0 go build -C "$SRC" -mod=readonly -trimpath -ldflags=-s \
    -o "$BIN.tmp" . >&2
  mv "$BIN.tmp" "$BIN"
  echo "$stamp" > "$STAMP"
fi
echo "$BIN"

#!/usr/bin/env bash
# Builds Jaeger v2.13.0 (Go module version v1.76.0) from the Go module proxy inside a small wrapper
# module and caches the binary. Prints the binary's path on stdout. Idempotent.
# `go install ...@v1.76.0` cannot be used: upstream's go.mod carries a replace directive.
set -euo pipefail
JAEGER_MODULE_VERSION=${JAEGER_MODULE_VERSION:-v1.76.0}
JAEGER_DIR=${JAEGER_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/tracewire/jaeger-$JAEGER_MODULE_VERSION}
BIN="$JAEGER_DIR/bin/jaeger"
if [ ! -x "$BIN" ]; then
  if ! command -v go >/dev/null && [ -x /usr/local/go/bin/go ]; then export PATH="$PATH:/usr/local/go/bin"; fi
  command -v go >/dev/null || { echo "jaeger-build: 'go' (1.24 or newer) is required" >&2; exit 1; }
  mkdir -p "$JAEGER_DIR"
  (
    cd "$JAEGER_DIR"
    export GOFLAGS="${GOFLAGS:-} -mod=mod"
    [ -f go.mod ] || go mod init local/jaeger-tool >&2
    go get -tool "github.com/jaegertracing/jaeger/cmd/jaeger@$JAEGER_MODULE_VERSION" >&2
    # The same pin as upstream's go.mod (a dependency's replace directives are ignored).
    go mod edit -replace=github.com/Shopify/sarama=github.com/Shopify/sarama@v1.33.0
    go mod tidy >&2
    CGO_ENABLED=0 go build -trimpath -o bin/jaeger.tmp github.com/jaegertracing/jaeger/cmd/jaeger >&2
    mv bin/jaeger.tmp bin/jaeger
  )
fi
echo "$BIN"

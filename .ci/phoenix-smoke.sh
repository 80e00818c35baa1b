#!/usr/bin/env bash
# Hand check of the Phoenix set-up (not part of .ci/run): starts Phoenix, sends one small trace
# over OTLP/HTTP and one over OTLP/gRPC into project "tracewire-smoke" with .ci/otlp-send.py, and
# reads them back through the REST API and the GraphQL API as docs/notes-phoenix-api.md describes.
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/phoenix-lib.sh
start_phoenix

checks=0
PROJECT=tracewire-smoke
send() { "$TRACEWIRE_PHOENIX_PYTHON" .ci/otlp-send.py --project "$PROJECT" --no-log "$@"; }
http_id=$(send --protocol http --endpoint "$TRACEWIRE_PHOENIX_URL" --tag phoenix-http)
grpc_id=$(send --protocol grpc --endpoint "$TRACEWIRE_PHOENIX_OTLP_GRPC_ENDPOINT" --tag phoenix-grpc)

rest_has_tree() { # TRACE_ID TAG -> the trace's two spans are stored with their kinds and parent link
  curl -sf "$TRACEWIRE_PHOENIX_URL/v1/projects/$PROJECT/spans?trace_id=$1&sort=start_time&order=asc" \
    | "$TRACEWIRE_PHOENIX_PYTHON" -c '
import json, sys
spans = {s["name"]: s for s in json.load(sys.stdin)["data"]}
tag = sys.argv[1]
chain, chat = spans.get("chain " + tag), spans.get("chat " + tag)
ok = (chain and chat and chain["span_kind"] == "CHAIN" and chat["span_kind"] == "LLM"
      and chain["parent_id"] is None and chat["parent_id"] == chain["context"]["span_id"]
      and chat["attributes"].get("llm.token_count.prompt") == 3)
sys.exit(0 if ok else 1)' "$2"
}
graphql_has_tree() { # TRACE_ID -> getTraceByOtelId answers with both spans in the project
  "$TRACEWIRE_PHOENIX_PYTHON" -c '
import json, sys, urllib.request
query = """query ($traceId: String!) { getTraceByOtelId(traceId: $traceId) {
  project { name } spans(first: 100) { edges { node { name spanKind parentId } } } } }"""
body = json.dumps({"query": query, "variables": {"traceId": sys.argv[2]}}).encode()
req = urllib.request.Request(sys.argv[1] + "/graphql", body, {"content-type": "application/json"})
trace = json.load(urllib.request.urlopen(req))["data"]["getTraceByOtelId"]
kinds = sorted(e["node"]["spanKind"] for e in trace["spans"]["edges"]) if trace else []
sys.exit(0 if trace and trace["project"]["name"] == sys.argv[3] and kinds == ["chain", "llm"] else 1)' \
    "$TRACEWIRE_PHOENIX_URL" "$1" "$PROJECT"
}
wait_for() { # DESCRIPTION COMMAND... -> retries COMMAND for up to 30 s
  local what=$1; shift
  for _ in $(seq 1 120); do
    if "$@"; then checks=$((checks + 1)); echo "ok: $what"; return 0; fi
    sleep 0.25
  done
  echo "FAILED: $what" >&2
  return 1
}
wait_for "OTLP/HTTP trace $http_id via REST" rest_has_tree "$http_id" phoenix-http
wait_for "OTLP/gRPC trace $grpc_id via REST" rest_has_tree "$grpc_id" phoenix-grpc
wait_for "OTLP/gRPC trace $grpc_id via GraphQL" graphql_has_tree "$grpc_id"
echo "phoenix-smoke: $checks passed, 0 failed"

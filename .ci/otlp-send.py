#!/usr/bin/env python3
"""Sends one small trace (a CHAIN span with an LLM child) and, unless --no-log, one log record
over OTLP, then prints the trace id (32 hex digits) on stdout.

Needs opentelemetry-sdk and opentelemetry-exporter-otlp (1.45.x). Used by .ci/otelcol-smoke.sh
and .ci/phoenix-smoke.sh to check a collector or Phoenix by hand; the spans carry OpenInference
attributes (openinference.span.kind) so that Phoenix classifies them.

  otlp-send.py --protocol grpc --endpoint http://127.0.0.1:4317 [--tag T] [--project P] [--no-log]
  otlp-send.py --protocol http --endpoint http://127.0.0.1:4318 ...   (base URL; /v1/... is added)
"""
import argparse
import logging
import sys


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--protocol", choices=["grpc", "http"], required=True)
    parser.add_argument("--endpoint", required=True, help="gRPC: http://host:port; HTTP: base URL")
    parser.add_argument("--tag", default="smoke", help="goes into span names and the log body")
    parser.add_argument("--project", default=None, help="openinference.project.name resource attribute")
    parser.add_argument("--no-log", action="store_true", help="send the trace only")
    args = parser.parse_args()

    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.trace import SpanKind, Status, StatusCode

    base = args.endpoint.rstrip("/")
    if args.protocol == "grpc":
        from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter
        from opentelemetry.exporter.otlp.proto.grpc._log_exporter import OTLPLogExporter

        span_exporter = OTLPSpanExporter(endpoint=base, insecure=True)
        log_exporter = None if args.no_log else OTLPLogExporter(endpoint=base, insecure=True)
    else:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        from opentelemetry.exporter.otlp.proto.http._log_exporter import OTLPLogExporter

        span_exporter = OTLPSpanExporter(endpoint=base + "/v1/traces")
        log_exporter = None if args.no_log else OTLPLogExporter(endpoint=base + "/v1/logs")

    attributes = {"service.name": "tracewire-smoke"}
    if args.project:
        attributes["openinference.project.name"] = args.project
    resource = Resource.create(attributes)

    provider = TracerProvider(resource=resource)
    provider.add_span_processor(SimpleSpanProcessor(span_exporter))
    tracer = provider.get_tracer("tracewire.smoke")

    with tracer.start_as_current_span(f"chain {args.tag}", kind=SpanKind.INTERNAL) as chain:
        chain.set_attribute("openinference.span.kind", "CHAIN")
        chain.set_attribute("input.value", f"question {args.tag}")
        chain.set_attribute("tracewire.run_id", f"run-{args.tag}")
        with tracer.start_as_current_span(f"chat {args.tag}", kind=SpanKind.CLIENT) as llm:
            llm.set_attribute("openinference.span.kind", "LLM")
            llm.set_attribute("llm.model_name", "fake-model")
            llm.set_attribute("gen_ai.request.model", "fake-model")
            llm.set_attribute("llm.token_count.prompt", 3)
            llm.set_attribute("llm.token_count.completion", 2)
            llm.set_attribute("output.value", "goldfish")
            llm.set_status(Status(StatusCode.OK))
        chain.set_attribute("output.value", "goldfish")
        trace_id = format(chain.get_span_context().trace_id, "032x")

        if log_exporter is not None:
            from opentelemetry.sdk._logs import LoggerProvider, LoggingHandler
            from opentelemetry.sdk._logs.export import SimpleLogRecordProcessor

            log_provider = LoggerProvider(resource=resource)
            log_provider.add_log_record_processor(SimpleLogRecordProcessor(log_exporter))
            logger = logging.getLogger("tracewire.smoke")
            logger.propagate = False
            logger.setLevel(logging.INFO)
            logger.addHandler(LoggingHandler(level=logging.INFO, logger_provider=log_provider))
            # Emitted inside the chain span: the record carries its trace and span ids.
            logger.info("log %s", args.tag, extra={"tracewire.event": "on_chain_start"})
            log_provider.shutdown()

    provider.shutdown()
    print(trace_id)
    return 0


if __name__ == "__main__":
    sys.exit(main())

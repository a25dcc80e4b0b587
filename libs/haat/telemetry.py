"""OpenTelemetry, set up once per process: traces (and metrics) exported over OTLP when
OTEL_EXPORTER_OTLP_ENDPOINT is set, kept in-process and quiet otherwise.

Spans of FastAPI, SQLAlchemy, aiohttp and the Kafka hop (traceparent header, see kafka/consumer.py
and outbox.py) join one trace.
"""

from __future__ import annotations

import os
import threading

from fastapi import FastAPI
from opentelemetry import metrics, trace
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from sqlalchemy import Engine

_lock = threading.Lock()
_configured = False


def setup_telemetry(service_name: str) -> TracerProvider:
    """Install the SDK tracer provider once; later calls (other services in the same process) reuse it."""
    global _configured
    with _lock:
        provider = trace.get_tracer_provider()
        if _configured and isinstance(provider, TracerProvider):
            return provider
        resource = Resource.create({"service.name": os.environ.get("OTEL_SERVICE_NAME", service_name)})
        provider = TracerProvider(resource=resource)
        if os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT"):
            from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
            from opentelemetry.sdk.metrics.export import PeriodicExportingMetricReader

            provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
            metrics.set_meter_provider(
                MeterProvider(resource=resource, metric_readers=[PeriodicExportingMetricReader(OTLPMetricExporter())])
            )
        trace.set_tracer_provider(provider)
        _instrument_aiohttp()
        _configured = True
        return provider


def instrument_app(app: FastAPI) -> None:
    from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

    FastAPIInstrumentor.instrument_app(app, excluded_urls="healthz,readyz")


def instrument_engine(engine: Engine) -> None:
    from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor

    # `instrument()` works once per process; several services (tests, `haat up` seeding) each bring an
    # engine, so attach the engine tracer directly, which is all `instrument(engine=…)` does.
    SQLAlchemyInstrumentor()._instrument(engine=engine, enable_commenter=False)


def _instrument_aiohttp() -> None:
    from opentelemetry.instrumentation.aiohttp_client import AioHttpClientInstrumentor

    instrumentor = AioHttpClientInstrumentor()
    if not instrumentor.is_instrumented_by_opentelemetry:
        instrumentor.instrument()


class BackboneMetrics:
    """Counters of the event backbone (OTel metrics; no-ops until a meter provider is configured)."""

    def __init__(self) -> None:
        meter = metrics.get_meter("haat.backbone")
        self.published = meter.create_counter("haat.outbox.published", unit="{event}", description="events relayed")
        self.processed = meter.create_counter("haat.consumer.processed", unit="{event}", description="events applied")
        self.duplicates = meter.create_counter(
            "haat.consumer.duplicates", unit="{event}", description="redeliveries skipped by the inbox"
        )
        self.dead_lettered = meter.create_counter(
            "haat.consumer.dead_lettered", unit="{event}", description="events sent to a dead-letter topic"
        )


backbone_metrics = BackboneMetrics()

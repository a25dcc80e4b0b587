"""One trace spans the HTTP request to the catalog, the Kafka hop and the consumer's work in orders."""

from __future__ import annotations

from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind
from sqlalchemy import func, select

from haat.telemetry import setup_telemetry
from haat_testkit.catalog_factories import clf_with_shgs, product_fields, submit_over_http
from haat_testkit.http_server import ThreadedServer
from haat_testkit.waiting import wait_for

PRODUCT = product_fields(sku="TOY-ELEPHANT", title_en="Wooden elephant toy", category="toys", hsn_code="9503")


def test_one_trace_id_spans_http_kafka_and_consumer(service):
    exporter = InMemorySpanExporter()
    setup_telemetry("haat-tests").add_span_processor(SimpleSpanProcessor(exporter))
    catalog = service("catalog", run_workers=True)
    clf_with_shgs(catalog, announce=False)
    orders = service("orders")
    orders.start_workers(relay=False)
    snapshots = orders.definition.metadata.tables["product_snapshots"]

    with ThreadedServer(catalog.definition.create_app(catalog)) as server:
        response = submit_over_http(server.url, catalog, PRODUCT)
        assert response.status_code == 201, response.text

        def applied() -> bool:
            with orders.engine.connect() as conn:
                return bool(conn.scalar(select(func.count()).select_from(snapshots)))

        wait_for(applied, what="orders to apply the event")

    spans = exporter.get_finished_spans()
    http_span = next(s for s in spans if s.kind == SpanKind.SERVER and s.name == "POST /v1/products")
    consumer_span = next(
        s
        for s in spans
        if s.kind == SpanKind.CONSUMER
        and s.attributes.get("messaging.consumer.group.name") == "orders.catalog-products"
    )
    trace_id = http_span.context.trace_id
    assert consumer_span.context.trace_id == trace_id
    assert consumer_span.parent is not None
    # The consumer's database work (the inbox claim and the snapshot insert) is inside the same trace.
    orders_sql = [
        s
        for s in spans
        if s.context.trace_id == trace_id
        and s.kind == SpanKind.CLIENT
        and "product_snapshots" in str(s.attributes.get("db.statement", ""))
    ]
    assert orders_sql, "the consumer's SQL spans joined the trace"
    catalog_sql = [
        s
        for s in spans
        if s.context.trace_id == trace_id and "INSERT INTO outbox" in str(s.attributes.get("db.statement"))
    ]
    assert catalog_sql, "the outbox write happened inside the HTTP request's trace"

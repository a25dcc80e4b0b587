"""The backbone end to end: a catalog transaction's event reaches orders and gateway exactly once,
over real HTTP, real PostgreSQL and a real broker."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from haat_testkit.catalog_factories import clf_with_shgs, product_fields, submit_over_http, submitted_product
from haat_testkit.http_server import ThreadedServer
from haat_testkit.waiting import wait_for

PRODUCT = product_fields(
    sku="AAM-ACHAR-500",
    title_en="Raw mango pickle",
    title_hi="कच्चे आम का अचार",
    category="general",
    hsn_code="2001",
    gst_rate_bp=500,
    mrp_paise=25000,
    price_paise=22000,
)


def count(runtime, table, **where) -> int:
    query = select(func.count()).select_from(table)
    for column, value in where.items():
        query = query.where(table.c[column] == value)
    with runtime.engine.connect() as conn:
        return int(conn.scalar(query) or 0)


def test_catalog_event_reaches_orders_and_gateway_exactly_once(service):
    catalog = service("catalog", run_workers=True)
    clf_with_shgs(catalog, announce=False)
    orders = service("orders")
    gateway = service("gateway")
    orders.start_workers(relay=False)
    gateway.start_workers(relay=False)
    snapshots = orders.definition.metadata.tables["product_snapshots"]
    event_log = gateway.definition.metadata.tables["event_log"]

    with ThreadedServer(catalog.definition.create_app(catalog)) as server:
        response = submit_over_http(server.url, catalog, PRODUCT)
        assert response.status_code == 201, response.text
        assert response.json()["status"] == "submitted"

        wait_for(lambda: count(orders, snapshots, sku="AAM-ACHAR-500"), what="the orders snapshot")
        wait_for(lambda: count(gateway, event_log), what="the gateway event log")
        with catalog.engine.connect() as conn:
            event_id = conn.scalar(select(catalog.definition.outbox_table.c.event_id))

        # Publish the same events again, as a relay restarted after a broker loss would: no second effect.
        assert catalog.relay is not None
        catalog.relay.requeue_since(datetime.now(UTC) - timedelta(minutes=5))
        wait_for(lambda: orders.consumers[0].duplicates == 1, what="orders to see the redelivery")
        wait_for(lambda: gateway.consumers[0].duplicates == 1, what="gateway to see the redelivery")

    with orders.engine.connect() as conn:
        snapshot = conn.execute(select(snapshots)).one()
    assert (snapshot.title, snapshot.hsn_code, snapshot.gst_rate_bp) == (
        "Raw mango pickle / कच्चे आम का अचार",
        "2001",
        500,
    )
    assert snapshot.applied_events == 1
    assert snapshot.source_event_id == event_id
    assert count(gateway, event_log) == 1
    assert count(gateway, event_log, event_id=event_id) == 1
    inbox = orders.definition.inbox_table
    assert count(orders, inbox, event_id=event_id) == 1


def test_rolled_back_transaction_publishes_nothing(service, broker):
    from haat_testkit.topic_reader import read_topic

    catalog = service("catalog")
    clf_with_shgs(catalog, announce=False)
    relay = catalog.make_relay()

    with catalog.unit_of_work() as uow:
        submit_new_product_uncommitted(uow, sku="NEVER-1")
        uow.rollback()
    with catalog.unit_of_work() as uow:
        submit_new_product_uncommitted(uow, sku="NEVER-2")
        # leaving the block without commit rolls back as well

    assert relay.unsent_count() == 0
    assert relay.drain() == 0

    with catalog.unit_of_work() as uow:
        submitted_product(uow, sku="KEPT-1")
    assert relay.drain() == 1
    records = read_topic(broker.bootstrap_servers, "haat.catalog.products", at_least=1)
    assert [r.key for r in records] == [b"KEPT-1"]


def submit_new_product_uncommitted(uow, sku: str) -> None:
    """The use case's writes and event, without its commit (what an exception half-way would leave)."""
    from haat.events.catalog import ProductSubmittedV1
    from haat_catalog.domain.product import Product

    now = datetime.now(UTC)
    product = Product(**{**PRODUCT, "sku": sku}, created_at=now, updated_at=now)
    uow.session.add(product)
    uow.session.flush()
    uow.emit(ProductSubmittedV1(**{**PRODUCT, "sku": sku}))


def test_topics_are_created_with_partitions_and_retention(broker):
    from kafka.admin import KafkaAdminClient

    from haat.kafka.admin import _retention_hours, ensure_topics
    from haat.settings import CommonSettings

    settings = CommonSettings(kafka_bootstrap_servers=broker.bootstrap_servers, kafka_topic_partitions=3)
    created = ensure_topics(settings)
    assert "haat.orders.orders" in created
    assert "haat.orders.orders.dlq" in created
    assert ensure_topics(settings) == [], "creating them again changes nothing"
    admin = KafkaAdminClient(bootstrap_servers=broker.bootstrap_servers)
    try:
        description = admin.describe_topics(["haat.catalog.stock"])[0]
    finally:
        admin.close()
    assert len(description["partitions"]) == 3
    # The embedded broker does not report topic configs; what is asked of Apache Kafka:
    assert _retention_hours(settings, "haat.catalog.stock") == 7 * 24
    assert _retention_hours(settings, "haat.catalog.stock.dlq") == 30 * 24

"""The connectors service as the rest of Haat sees it (entry point `haat.services: connectors`)."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from haat.events import topics
from haat.http_app import build_app
from haat.messaging.consumer import ConsumerSpec
from haat.service import ServiceDefinition, ServiceRuntime
from haat_connectors.adapters.tables import metadata
from haat_connectors.adapters.unit_of_work import ConnectorsUnitOfWork
from haat_connectors.cli import cli
from haat_connectors.demo import DEMO_ENV, companions, seed_demo
from haat_connectors.entrypoints import accounts, labels, notifications
from haat_connectors.entrypoints.amazon_queue import run_amazon_queue
from haat_connectors.service_layer import catalog_feed, order_tasks
from haat_connectors.service_layer.sync_worker import run_sync
from haat_connectors.settings import ConnectorsSettings

CATALOG_CONSUMER = ConsumerSpec(
    name="connectors.catalog",
    topics=(topics.CATALOG_PRODUCTS, topics.CATALOG_STOCK),
    handlers={
        "haat.catalog.product.published.v1": catalog_feed.on_product_listed,
        "haat.catalog.product.updated.v1": catalog_feed.on_product_listed,
        "haat.catalog.product.retired.v1": catalog_feed.on_product_retired,
        "haat.catalog.stock.changed.v1": catalog_feed.on_stock_changed,
        "haat.catalog.stock.reservation_failed.v1": catalog_feed.on_reservation_failed,
    },
)

ORDERS_CONSUMER = ConsumerSpec(
    name="connectors.orders",
    topics=(topics.ORDERS_ORDERS,),
    handlers={
        "haat.orders.order.packed.v1": order_tasks.on_order_packed,
        "haat.orders.order.shipped.v1": order_tasks.on_order_shipped,
        "haat.orders.order.cancelled.v1": order_tasks.on_order_cancelled,
    },
)


def create_app(runtime: ServiceRuntime) -> FastAPI:
    return build_app(
        runtime,
        [accounts.router, notifications.router, labels.router],
        description="Marketplace seller accounts, listings, stock and order synchronisation.",
    )


SERVICE = ServiceDefinition(
    name="connectors",
    title="Connectors",
    settings_class=ConnectorsSettings,
    metadata=metadata,
    migrations_dir=Path(__file__).parent / "migrations",
    create_app=create_app,
    unit_of_work_class=ConnectorsUnitOfWork,
    consumers=(CATALOG_CONSUMER, ORDERS_CONSUMER),
    jobs=(run_sync, run_amazon_queue),
    seed_demo=seed_demo,
    demo_env=DEMO_ENV,
    cli={"connectors": cli},
    companions=companions,
)

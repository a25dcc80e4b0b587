"""The orders service as the rest of Haat sees it (entry point `haat.services: orders`)."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from haat.events import topics
from haat.events.registry import registry
from haat.http_app import build_app
from haat.messaging.consumer import ConsumerSpec
from haat.service import ServiceDefinition, ServiceRuntime
from haat_orders.adapters.tables import metadata
from haat_orders.adapters.unit_of_work import OrdersUnitOfWork
from haat_orders.entrypoints import internal, orders, reports
from haat_orders.entrypoints import settlements as settlement_routes
from haat_orders.service_layer import intake, invoicing, settlements, stock_feedback
from haat_orders.service_layer.catalog_events import on_product_event
from haat_orders.settings import OrdersSettings

CATALOG_PRODUCTS_CONSUMER = ConsumerSpec(
    name="orders.catalog-products",
    topics=(topics.CATALOG_PRODUCTS,),
    handlers={spec.name: on_product_event for spec in registry.all() if spec.name.startswith("haat.catalog.product.")},
)

MARKETPLACE_ORDERS_CONSUMER = ConsumerSpec(
    name="orders.marketplace-orders",
    topics=(topics.CONNECTORS_ORDERS,),
    handlers={
        "haat.connectors.marketplace_order.received.v1": intake.on_marketplace_order,
        "haat.connectors.marketplace_order.updated.v1": intake.on_marketplace_order,
        "haat.connectors.marketplace_order.cancelled.v1": intake.on_marketplace_order,
    },
)
REGISTRY_CONSUMER = ConsumerSpec(
    name="orders.registry",
    topics=(topics.CATALOG_REGISTRY,),
    handlers={
        "haat.catalog.clf.registered.v1": invoicing.on_clf_registered,
        "haat.catalog.clf.updated.v1": invoicing.on_clf_registered,
        "haat.catalog.shg.registered.v1": settlements.on_shg_registered,
    },
)
STOCK_CONSUMER = ConsumerSpec(
    name="orders.stock",
    topics=(topics.CATALOG_STOCK,),
    handlers={
        "haat.catalog.stock.changed.v1": stock_feedback.on_stock_changed,
        "haat.catalog.stock.reservation_failed.v1": stock_feedback.on_reservation_failed,
    },
)


def create_app(runtime: ServiceRuntime) -> FastAPI:
    return build_app(
        runtime,
        [orders.router, settlement_routes.router, reports.router, internal.router],
        description="Orders from every channel, fulfilment, invoices.",
    )


SERVICE = ServiceDefinition(
    name="orders",
    title="Orders",
    settings_class=OrdersSettings,
    metadata=metadata,
    migrations_dir=Path(__file__).parent / "migrations",
    create_app=create_app,
    unit_of_work_class=OrdersUnitOfWork,
    consumers=(CATALOG_PRODUCTS_CONSUMER, MARKETPLACE_ORDERS_CONSUMER, STOCK_CONSUMER, REGISTRY_CONSUMER),
)

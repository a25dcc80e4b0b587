"""The orders service as the rest of Haat sees it (entry point `haat.services: orders`)."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from haat.events import topics
from haat.events.registry import registry
from haat.http_app import build_app
from haat.kafka.consumer import ConsumerSpec
from haat.service import ServiceDefinition, ServiceRuntime
from haat_orders.adapters.tables import metadata
from haat_orders.entrypoints import router
from haat_orders.service_layer.catalog_events import on_product_event
from haat_orders.settings import OrdersSettings

CATALOG_PRODUCTS_CONSUMER = ConsumerSpec(
    name="orders.catalog-products",
    topics=(topics.CATALOG_PRODUCTS,),
    handlers={spec.name: on_product_event for spec in registry.all() if spec.name.startswith("haat.catalog.product.")},
)


def create_app(runtime: ServiceRuntime) -> FastAPI:
    return build_app(runtime, [router], description="Orders from every channel, fulfilment, invoices.")


SERVICE = ServiceDefinition(
    name="orders",
    title="Orders",
    settings_class=OrdersSettings,
    metadata=metadata,
    migrations_dir=Path(__file__).parent / "migrations",
    create_app=create_app,
    consumers=(CATALOG_PRODUCTS_CONSUMER,),
)

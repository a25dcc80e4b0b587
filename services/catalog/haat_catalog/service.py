"""The catalog service as the rest of Haat sees it (entry point `haat.services: catalog`).

Routers are matched in order: the fixed paths (/products/import, /products/{sku}/images) come before
the products router's /products/{sku}/{action}.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from haat.events import topics
from haat.http_app import build_app
from haat.messaging.consumer import ConsumerSpec
from haat.service import ServiceDefinition, ServiceRuntime
from haat_catalog.adapters.orm import metadata, start_mappers
from haat_catalog.adapters.unit_of_work import CatalogUnitOfWork
from haat_catalog.demo import seed_demo
from haat_catalog.entrypoints import imports, photos, products, registry, stock
from haat_catalog.service_layer import listings
from haat_catalog.service_layer import stock as stock_service
from haat_catalog.service_layer.imports import run_imports
from haat_catalog.settings import CatalogSettings

ORDER_STOCK_CONSUMER = ConsumerSpec(
    name="catalog.order-stock",
    topics=(topics.ORDERS_ORDERS,),
    handlers={
        "haat.orders.order.created.v1": stock_service.on_order_created,
        "haat.orders.order.cancelled.v1": stock_service.on_order_cancelled,
        "haat.orders.order.shipped.v1": stock_service.on_order_shipped,
        "haat.orders.order.returned.v1": stock_service.on_order_returned,
    },
)
LISTING_STATUS_CONSUMER = ConsumerSpec(
    name="catalog.listing-status",
    topics=(topics.CONNECTORS_LISTINGS,),
    handlers={"haat.connectors.listing.status_changed.v1": listings.on_listing_status_changed},
)


def create_app(runtime: ServiceRuntime) -> FastAPI:
    return build_app(
        runtime,
        [registry.router, imports.router, photos.router, products.router, stock.router],
        description="CLFs, SHGs, producers, products, their approval and stock per packaging house.",
    )


SERVICE = ServiceDefinition(
    name="catalog",
    title="Catalog",
    settings_class=CatalogSettings,
    metadata=metadata,
    migrations_dir=Path(__file__).parent / "migrations",
    create_app=create_app,
    unit_of_work_class=CatalogUnitOfWork,
    consumers=(ORDER_STOCK_CONSUMER, LISTING_STATUS_CONSUMER),
    jobs=(run_imports,),
    start_mappers=start_mappers,
    seed_demo=seed_demo,
)

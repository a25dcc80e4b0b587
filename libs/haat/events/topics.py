"""Kafka topic names. A topic's key is the entity id, so one entity's events stay in order."""

CATALOG_PRODUCTS = "haat.catalog.products"
CATALOG_STOCK = "haat.catalog.stock"
CATALOG_REGISTRY = "haat.catalog.registry"
CONNECTORS_LISTINGS = "haat.connectors.listings"
CONNECTORS_ORDERS = "haat.connectors.orders"
ORDERS_ORDERS = "haat.orders.orders"
ORDERS_SETTLEMENTS = "haat.orders.settlements"
GATEWAY_NOTICES = "haat.gateway.notices"

ALL = (
    CATALOG_PRODUCTS,
    CATALOG_STOCK,
    CATALOG_REGISTRY,
    CONNECTORS_LISTINGS,
    CONNECTORS_ORDERS,
    ORDERS_ORDERS,
    ORDERS_SETTLEMENTS,
    GATEWAY_NOTICES,
)


def dead_letter(topic: str) -> str:
    return f"{topic}.dlq"

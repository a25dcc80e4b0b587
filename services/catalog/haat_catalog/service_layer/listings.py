"""Per-channel listing status as the marketplaces report it (haat.connectors.listings)."""

from __future__ import annotations

from haat.events.connectors import ListingStatusChangedV1
from haat.events.envelope import CloudEvent
from haat_catalog.adapters.unit_of_work import CatalogUnitOfWork


def on_listing_status_changed(uow: CatalogUnitOfWork, event: CloudEvent) -> None:
    data = ListingStatusChangedV1.model_validate(event.data)
    issues = [issue.model_dump() for issue in data.issues]
    uow.listings.record(data.clf_id, data.sku, data.channel, data.status, issues, data.reported_at)


def listings_of(uow: CatalogUnitOfWork, clf_id: str, sku: str) -> list[dict[str, object]]:
    return uow.listings.of_product(clf_id, sku)

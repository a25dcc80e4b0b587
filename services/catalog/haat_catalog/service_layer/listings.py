"""Per-channel listing status as the marketplaces report it (haat.connectors.listings)."""

from __future__ import annotations

from sqlalchemy import select

from haat.events.connectors import ListingStatusChangedV1
from haat.events.envelope import CloudEvent
from haat.unit_of_work import UnitOfWork
from haat_catalog.adapters.orm import listing_statuses


def on_listing_status_changed(uow: UnitOfWork, event: CloudEvent) -> None:
    data = ListingStatusChangedV1.model_validate(event.data)
    t = listing_statuses.c
    key = (t.clf_id == data.clf_id) & (t.sku == data.sku) & (t.channel == data.channel)
    values = {
        "status": data.status,
        "issues": [issue.model_dump() for issue in data.issues],
        "reported_at": data.reported_at,
    }
    current = uow.session.scalar(select(t.reported_at).where(key).with_for_update())
    if current is None:
        uow.session.execute(
            listing_statuses.insert().values(clf_id=data.clf_id, sku=data.sku, channel=data.channel, **values)
        )
    elif current < data.reported_at:  # marketplaces deliver out of order: the newest report wins
        uow.session.execute(listing_statuses.update().where(key).values(**values))


def listings_of(uow: UnitOfWork, clf_id: str, sku: str) -> list[dict[str, object]]:
    t = listing_statuses.c
    rows = uow.session.execute(select(listing_statuses).where(t.clf_id == clf_id, t.sku == sku).order_by(t.channel))
    return [{"channel": r.channel, "status": r.status, "issues": r.issues, "reported_at": r.reported_at} for r in rows]

"""Handlers of catalog events: keep the product snapshots that invoices are built from."""

from __future__ import annotations

from sqlalchemy import select, update

from haat.events.catalog import ProductSnapshot
from haat.events.envelope import CloudEvent
from haat.unit_of_work import UnitOfWork
from haat_orders.adapters.tables import product_snapshots


def on_product_event(uow: UnitOfWork, event: CloudEvent) -> None:
    """Any product event carries the whole product: the newest one is the snapshot."""
    data = ProductSnapshot.model_validate(event.data)
    values = {
        # Both languages where the catalog has both: invoices, pick lists and slips print them side by side.
        "title": " / ".join(dict.fromkeys(t for t in (data.title_en, data.title_hi) if t)) or data.sku,
        "hsn_code": data.hsn_code,
        "gst_rate_bp": data.gst_rate_bp,
        "price_paise": data.price_paise,
        "category": data.category,
        "shg_id": data.shg_ids[0] if data.shg_ids else None,
        "source_event_id": event.id,
        "updated_at": event.time,
    }
    key = (product_snapshots.c.clf_id == data.clf_id) & (product_snapshots.c.sku == data.sku)
    current = uow.session.execute(select(product_snapshots.c.updated_at).where(key)).scalar_one_or_none()
    if current is None:
        uow.session.execute(
            product_snapshots.insert().values(clf_id=data.clf_id, sku=data.sku, applied_events=1, **values)
        )
        return
    if current > event.time:
        values = {}  # an older event never overwrites a newer snapshot
    uow.session.execute(
        update(product_snapshots).where(key).values(applied_events=product_snapshots.c.applied_events + 1, **values)
    )

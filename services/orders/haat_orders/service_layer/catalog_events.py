"""Handlers of catalog events: keep the product snapshots that invoices are built from."""

from __future__ import annotations

from haat.events.catalog import ProductSnapshot
from haat.events.envelope import CloudEvent
from haat_orders.adapters.unit_of_work import OrdersUnitOfWork


def on_product_event(uow: OrdersUnitOfWork, event: CloudEvent) -> None:
    """Any product event carries the whole product: the newest one is the snapshot."""
    data = ProductSnapshot.model_validate(event.data)
    values = {
        # Both languages where the catalog has both: invoices, pick lists and slips print them side by side.
        "title": " / ".join(dict.fromkeys(t for t in (data.title_en, data.title_hi) if t)) or data.sku,
        "hsn_code": data.hsn_code,
        "gst_rate_bp": data.gst_rate_bp,
        "gst_exempt": bool(data.gst_exempt_reason),
        "price_paise": data.price_paise,
        "category": data.category,
        "shg_id": data.shg_ids[0] if data.shg_ids else None,
        "source_event_id": event.id,
    }
    uow.references.save_product(data.clf_id, data.sku, values, as_of=event.time)

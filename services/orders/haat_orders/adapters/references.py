"""The orders service's copy of the catalog's products, CLFs (as sellers) and SHGs, kept from its events."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from haat_orders.adapters.tables import product_snapshots, sellers, shgs
from haat_orders.domain.references import ProductFacts, Seller, Shg


class References:
    def __init__(self, session: Session) -> None:
        self.session = session

    def product(self, clf_id: str, sku: str) -> ProductFacts | None:
        t = product_snapshots.c
        row = self.session.execute(
            select(t.title, t.hsn_code, t.gst_rate_bp, t.gst_exempt, t.category, t.shg_id).where(
                t.clf_id == clf_id, t.sku == sku
            )
        ).one_or_none()
        return ProductFacts(**row._asdict()) if row else None

    def save_product(self, clf_id: str, sku: str, values: dict[str, Any], *, as_of: datetime) -> None:
        """Keep the newest snapshot (an older event never overwrites a newer one); every event applied is
        counted, so that a redelivered one shows."""
        key = (product_snapshots.c.clf_id == clf_id) & (product_snapshots.c.sku == sku)
        current = self.session.execute(select(product_snapshots.c.updated_at).where(key)).scalar_one_or_none()
        if current is None:
            self.session.execute(
                insert(product_snapshots).values(clf_id=clf_id, sku=sku, applied_events=1, updated_at=as_of, **values)
            )
            return
        newer = {"updated_at": as_of, **values} if current <= as_of else {}
        self.session.execute(
            update(product_snapshots).where(key).values(applied_events=product_snapshots.c.applied_events + 1, **newer)
        )

    def seller(self, clf_id: str) -> Seller | None:
        row = self.session.execute(select(sellers).where(sellers.c.clf_id == clf_id)).one_or_none()
        return Seller(**row._asdict()) if row else None

    def save_seller(self, seller: Seller) -> None:
        _upsert(self.session, sellers, sellers.c.clf_id, seller.__dict__)

    def shg(self, shg_id: str) -> Shg | None:
        row = self.session.execute(select(shgs).where(shgs.c.id == shg_id)).one_or_none()
        return Shg(**row._asdict()) if row else None

    def save_shg(self, shg: Shg) -> None:
        _upsert(self.session, shgs, shgs.c.id, shg.__dict__)


def _upsert(session: Session, table: Any, key: Any, values: dict[str, Any]) -> None:
    found = session.scalar(select(key).where(key == values[key.name]))
    if found is None:
        session.execute(insert(table).values(values))
    else:
        session.execute(update(table).where(key == values[key.name]).values(values))

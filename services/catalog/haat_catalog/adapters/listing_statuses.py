"""Each product's listing status per channel, as the marketplaces last reported it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from haat_catalog.adapters.orm import listing_statuses

t = listing_statuses.c


class ListingStatuses:
    def __init__(self, session: Session) -> None:
        self.session = session

    def record(self, clf_id: str, sku: str, channel: str, status: str, issues: list[dict[str, Any]],
               reported_at: datetime) -> None:  # fmt: skip
        """Keep the newest report: marketplaces deliver out of order, and an older one changes nothing."""
        key = (t.clf_id == clf_id) & (t.sku == sku) & (t.channel == channel)
        values = {"status": status, "issues": issues, "reported_at": reported_at}
        current = self.session.scalar(select(t.reported_at).where(key).with_for_update())
        if current is None:
            self.session.execute(listing_statuses.insert().values(clf_id=clf_id, sku=sku, channel=channel, **values))
        elif current < reported_at:
            self.session.execute(listing_statuses.update().where(key).values(**values))

    def of_product(self, clf_id: str, sku: str) -> list[dict[str, object]]:
        rows = self.session.execute(
            select(listing_statuses).where(t.clf_id == clf_id, t.sku == sku).order_by(t.channel)
        )
        return [{"channel": r.channel, "status": r.status, "issues": r.issues, "reported_at": r.reported_at}
                for r in rows]  # fmt: skip

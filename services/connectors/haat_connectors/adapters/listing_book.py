"""What should be for sale (the catalog's products as the connectors keep them) and each listing's state on
each seller account: what was pushed, whether it is dirty, its status, its retry schedule."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, insert, select, update
from sqlalchemy.orm import Session

from haat.backoff import due_now
from haat.retry_queue import is_due
from haat_connectors.adapters.tables import listings, products, seller_accounts, stock_holds
from haat_connectors.domain.listing_sync import ListingStanding

ls, p = listings.c, products.c


class WantedProducts:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _exists(self, clf_id: str, sku: str) -> bool:
        """Whether it is known; locks it for this transaction."""
        query = select(p.version).where(p.clf_id == clf_id, p.sku == sku).with_for_update()
        return self.session.scalar(query) is not None

    def set_available(self, clf_id: str, sku: str, available: int) -> None:
        if self._exists(clf_id, sku):
            self.session.execute(update(products).where(p.clf_id == clf_id, p.sku == sku).values(available=available))
        else:
            self.session.execute(
                insert(products).values(
                    clf_id=clf_id, sku=sku, snapshot=None, listed=False, version=0, available=available
                )
            )

    def store(self, clf_id: str, sku: str, snapshot: dict[str, Any], *, listed: bool) -> None:
        """The newest content, a version higher (a listing whose pushed version is lower is dirty)."""
        if self._exists(clf_id, sku):
            self.session.execute(
                update(products)
                .where(p.clf_id == clf_id, p.sku == sku)
                .values(snapshot=snapshot, listed=listed, version=p.version + 1)
            )
        else:
            self.session.execute(
                insert(products).values(clf_id=clf_id, sku=sku, snapshot=snapshot, listed=listed, version=1)
            )

    def listed_skus(self, clf_id: str) -> list[str]:
        return list(self.session.scalars(select(p.sku).where(p.clf_id == clf_id, p.listed.is_(True))))

    def wanted(self, clf_id: str, sku: str) -> Any:
        """Version, available and listed of the product, read in a statement of its own."""
        query = select(p.version, p.available, p.listed).where(p.clf_id == clf_id, p.sku == sku)
        return self.session.execute(query).one()


def held_quantity(clf_id: Any, sku: Any) -> Any:
    """Units of marketplace orders the catalog has not reserved yet (a scalar subquery)."""
    return (
        select(func.coalesce(func.sum(stock_holds.c.quantity), 0))
        .where(stock_holds.c.clf_id == clf_id, stock_holds.c.sku == sku)
        .scalar_subquery()
    )


class Listings:
    def __init__(self, session: Session) -> None:
        self.session = session

    @staticmethod
    def _key(account_id: str, sku: str) -> ColumnElement[bool]:
        return and_(ls.account_id == account_id, ls.sku == sku)

    def add(self, account_id: str, clf_id: str, sku: str, channel: str) -> None:
        """A listing still to be pushed in full."""
        now = datetime.now(UTC)
        self.session.execute(
            insert(listings).values(
                account_id=account_id, sku=sku, clf_id=clf_id, channel=channel, pushed_version=0,
                pushed_quantity=None, content_dirty=True, stock_dirty=False, status="pending", issues=[],
                status_at=now, **due_now(now),
            )
        )  # fmt: skip

    def ensure_on_every_account(self, clf_id: str, sku: str) -> None:
        """A listing of the product on each enabled seller account of its CLF."""
        accounts = self.session.execute(
            select(seller_accounts.c.id, seller_accounts.c.channel).where(
                seller_accounts.c.clf_id == clf_id, seller_accounts.c.enabled.is_(True)
            )
        ).all()
        existing = set(self.session.scalars(select(ls.account_id).where(ls.clf_id == clf_id, ls.sku == sku)))
        for account_id, channel in accounts:
            if account_id not in existing:
                self.add(account_id, clf_id, sku, channel)

    def mark_dirty(self, clf_id: str, skus: list[str], *, content: bool) -> None:
        """New work, due now, even for a listing that was backing off after a failure."""
        flag = {"content_dirty": True} if content else {"stock_dirty": True}
        self.session.execute(
            update(listings).where(ls.clf_id == clf_id, ls.sku.in_(skus)).values(**flag, **due_now(datetime.now(UTC)))
        )

    def resend_all(self, account_id: str) -> None:
        self.session.execute(
            update(listings)
            .where(ls.account_id == account_id)
            .values(pushed_version=0, content_dirty=True, **due_now(datetime.now(UTC)))
        )

    def progress(self, account_id: str) -> dict[str, Any]:
        """Counts of the account's listings; a listing the marketplace rejected is not "in sync", however
        settled its last push was: it is not on sale until the product is fixed."""
        dirty = ls.content_dirty.is_(True) | ls.stock_dirty.is_(True)
        counts = self.session.execute(
            select(
                func.count().label("total"),
                func.count().filter(~dirty & ls.status.is_distinct_from("rejected")).label("in_sync"),
                func.count().filter(dirty).label("waiting"),
                func.count().filter(ls.last_error.is_not(None)).label("failing"),
                func.count().filter(ls.status == "rejected").label("rejected"),
            ).where(ls.account_id == account_id)
        ).one()
        return dict(counts._asdict())

    def dirty(self, account_id: str, lane: str, now: datetime, limit: int) -> list[Any]:
        """Listings of the lane due for a push, with their product and the units held off it."""
        wanted: ColumnElement[bool] = ls.content_dirty.is_(True)
        if lane == "stock":
            wanted = and_(ls.stock_dirty.is_(True), ls.content_dirty.is_(False), ls.pushed_version > 0)
        query = (
            select(
                ls.sku,
                ls.pushed_version,
                p.snapshot,
                p.version,
                p.listed,
                p.available,
                held_quantity(ls.clf_id, ls.sku).label("held"),
            )
            .join(products, and_(p.clf_id == ls.clf_id, p.sku == ls.sku))
            .where(ls.account_id == account_id, wanted, is_due(listings, now))
            .order_by(ls.next_attempt_at)
            .limit(limit)
        )
        return list(self.session.execute(query))

    def locked(self, account_id: str, sku: str) -> Any:
        return self.session.execute(select(listings).where(self._key(account_id, sku)).with_for_update()).one_or_none()

    def standing(self, account_id: str, sku: str) -> ListingStanding | None:
        """The listing's standing on its marketplace, locked; None for a listing we do not have."""
        query = select(ls.account_id, ls.clf_id, ls.sku, ls.channel, ls.status, ls.issues, ls.status_at, ls.verify_at)
        row = self.session.execute(query.where(self._key(account_id, sku)).with_for_update()).one_or_none()
        return ListingStanding(*row) if row is not None else None

    def save_standing(self, standing: ListingStanding) -> None:
        self.change(standing.account_id, standing.sku, {"status": standing.status, "issues": standing.issues,
                                                        "status_at": standing.status_at,
                                                        "verify_at": standing.verify_at})  # fmt: skip

    def held(self, clf_id: str, sku: str) -> int:
        return int(self.session.scalar(select(held_quantity(clf_id, sku))) or 0)

    def change(self, account_id: str, sku: str, values: dict[str, Any]) -> None:
        self.session.execute(update(listings).where(self._key(account_id, sku)).values(**values))

    def due_for_verification(self, account_id: str, now: datetime, limit: int) -> list[str]:
        query = (
            select(ls.sku).where(ls.account_id == account_id, ls.verify_at <= now).order_by(ls.verify_at).limit(limit)
        )
        return list(self.session.scalars(query))

"""Listing sync, database side: which listings need a push next, and what the marketplace's answer changes.

Two lanes per seller account: `stock` (quantity only, for listings the marketplace already has) and
`content` (new, changed or retired listings, which carry the quantity too). The stock lane has its own
worker, so a long catalog upload never delays a stock change. Dirtiness is recomputed from the newest
wanted state when an answer is recorded, so a change that arrived during the call is pushed next.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any, Literal

from haat.events.connectors import ListingIssue, ListingStatusChangedV1
from haat_connectors.adapters.marketplaces.base import ListingPush, ListingReport, PushOutcome
from haat_connectors.adapters.unit_of_work import ConnectorsUnitOfWork
from haat_connectors.domain.listing_sync import ListingStanding, Pushed, Wanted, answered, sellable_quantity

Lane = Literal["stock", "content"]


@dataclass(frozen=True)
class Work:
    push: ListingPush
    version: int


def claim(uow: ConnectorsUnitOfWork, account_id: str, lane: Lane, limit: int, busy: set[str]) -> list[Work]:
    work = []
    for row in uow.listings.dirty(account_id, lane, datetime.now(UTC), limit + len(busy)):
        if row.sku in busy:
            continue
        if _nothing_to_send(uow, account_id, row):
            continue
        quantity = sellable_quantity(row.available, row.held) if row.listed else 0
        content = lane == "content"
        push = ListingPush(row.sku, row.snapshot, quantity, content=content, retire=content and not row.listed)
        work.append(Work(push, row.version))
    uow.commit()
    return work[:limit]


def _nothing_to_send(uow: ConnectorsUnitOfWork, account_id: str, row: Any) -> bool:
    """A product never published, or retired before it reached the marketplace: settle it here."""
    if row.snapshot is not None and (row.listed or row.pushed_version > 0):
        return False
    status = {} if row.listed else {"status": "inactive"}
    uow.listings.change(account_id, row.sku, {"content_dirty": False, "stock_dirty": False, **status})
    return True


def record(uow: ConnectorsUnitOfWork, account_id: str, results: list[tuple[Work, PushOutcome]],
           verify_after_s: float) -> None:  # fmt: skip
    now = datetime.now(UTC)
    for work, outcome in results:
        sku = work.push.sku
        # Lock the listing first, then read its product in a statement of its own: a stock change that
        # committed while this waited for the lock is seen (PostgreSQL re-checks only the locked row of a
        # joined SELECT … FOR UPDATE, so a join would compare the push with the product as it was before).
        listing = uow.listings.locked(account_id, sku)
        product = uow.products.wanted(listing.clf_id, listing.sku)
        row = SimpleNamespace(**listing._asdict(), **product._asdict())
        wanted = Wanted(row.attempts, row.status_at, row.version, row.available, row.listed,
                        uow.listings.held(row.clf_id, row.sku))  # fmt: skip
        pushed = Pushed(work.push.quantity, work.push.content, work.version, outcome.status, outcome.error,
                        outcome.sent_at)  # fmt: skip
        result = answered(wanted, pushed, now, verify_after_s)
        uow.listings.change(account_id, sku, result.changes)
        if result.status:
            standing = standing_of(listing, result.changes.get("verify_at", listing.verify_at))
            standing.answered(result.status, outcome.issues, outcome.sent_at)
            _save(uow, standing)
    uow.commit()


def standing_of(row: Any, verify_at: datetime | None) -> ListingStanding:
    return ListingStanding(row.account_id, row.clf_id, row.sku, row.channel, row.status, row.issues, row.status_at,
                           verify_at)  # fmt: skip


def _save(uow: ConnectorsUnitOfWork, standing: ListingStanding) -> None:
    """Store the standing and announce each change it recorded (to the catalog, partners and the pages)."""
    uow.listings.save_standing(standing)
    for changed in standing.events:
        uow.emit(
            ListingStatusChangedV1(
                sku=changed.sku, clf_id=changed.clf_id, channel=changed.channel, status=changed.status,
                issues=[ListingIssue.model_validate(i) for i in changed.issues], reported_at=changed.reported_at,
            )
        )  # fmt: skip
    standing.events.clear()


def apply_report(uow: ConnectorsUnitOfWork, account_id: str, report: ListingReport) -> bool:
    """A status the marketplace reported (notification or status call); one older than the stored one, or for
    a listing we do not have, changes nothing (False)."""
    standing = uow.listings.standing(account_id, report.sku)
    if standing is None or not standing.reported(report.status, report.issues, report.reported_at, datetime.now(UTC)):
        return False
    _save(uow, standing)
    return True


def due_for_verification(uow: ConnectorsUnitOfWork, account_id: str, limit: int) -> list[str]:
    return uow.listings.due_for_verification(account_id, datetime.now(UTC), limit)


def verify_later(uow: ConnectorsUnitOfWork, account_id: str, sku: str, after_s: float) -> None:
    uow.listings.change(account_id, sku, {"verify_at": datetime.now(UTC) + timedelta(seconds=after_s)})


def verify_now(uow: ConnectorsUnitOfWork, account_id: str, sku: str) -> None:
    verify_later(uow, account_id, sku, 0)

"""Rules of listing sync, free of I/O: what quantity a channel may show, when to try again, what an answer to
a push means, and a listing's standing on its marketplace (status and issues, recorded as domain events)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from haat.backoff import Backoff, after_failure, due_now


def sellable_quantity(available: int | None, held: int) -> int:
    """What every channel may offer: the catalog's available stock less units sold on a marketplace that
    the catalog has not reserved yet. Unknown stock is offered as zero: a listing never oversells."""
    return max(0, (available or 0) - held)


# Work that failed after the HTTP layer's own retries (a push, an order fetch, a task): 5 s, 10 s, … 10 min.
RETRY = Backoff.doubling(5, 600)


@dataclass(frozen=True)
class Pushed:
    """What was sent (the quantity, and the content of which product version, if any) and what came back."""

    quantity: int
    content: bool
    version: int
    status: str | None  # pending | live | rejected | inactive; None: unchanged
    error: str | None  # a transient failure: the work stays and is tried again later
    sent_at: datetime


@dataclass(frozen=True)
class Wanted:
    """The listing and its product as they are now (locked), and the units held off it."""

    attempts: int
    status_at: datetime
    version: int
    available: int | None
    listed: bool
    held: int


@dataclass(frozen=True)
class Answered:
    changes: dict[str, Any]  # the listing's fields after this answer
    status: str | None  # a status to store and announce; None when unchanged or overtaken by a newer report


def answered(wanted: Wanted, pushed: Pushed, now: datetime, verify_after_s: float) -> Answered:
    """What a marketplace's answer to a push means for the listing. Dirtiness is worked out again from the
    newest wanted state, so a change that arrived while the call was out is pushed next."""
    changes: dict[str, Any] = {"last_error": pushed.error}
    if pushed.error:
        changes |= after_failure(RETRY, wanted.attempts, now)
        if pushed.status == "pending":  # the marketplace lost the listing: send all of it again
            changes |= {"pushed_version": 0, "content_dirty": True}
        return Answered(changes, None)
    changes |= {**due_now(now), "pushed_quantity": pushed.quantity}
    overtaken = wanted.status_at > pushed.sent_at  # a notification reported a newer status meanwhile
    if pushed.content:
        changes |= {"pushed_version": pushed.version, "content_dirty": wanted.version > pushed.version,
                    "submitted_at": pushed.sent_at}  # fmt: skip
        if pushed.status == "pending" and not overtaken:
            changes["verify_at"] = now + timedelta(seconds=verify_after_s)
    sellable = sellable_quantity(wanted.available, wanted.held) if wanted.listed else 0
    changes["stock_dirty"] = sellable != pushed.quantity and pushed.status != "rejected"
    if pushed.status == "rejected":
        changes["content_dirty"] = wanted.version > pushed.version
    return Answered(changes, pushed.status if pushed.status and not overtaken else None)


@dataclass(frozen=True)
class ListingStatusChanged:
    """Domain event: the marketplace has the listing in a new status (or with new issues)."""

    account_id: str
    clf_id: str
    sku: str
    channel: str
    status: str
    issues: list[dict[str, Any]]
    reported_at: datetime


@dataclass
class ListingStanding:
    """The aggregate of a listing's standing on its marketplace: its status and issues, when the marketplace
    said so, and when to ask it again (`verify_at`, while the listing is pending). It changes only through
    `reported` and `answered`, which record what changed in `events`."""

    account_id: str
    clf_id: str
    sku: str
    channel: str
    status: str
    issues: list[dict[str, Any]]
    status_at: datetime
    verify_at: datetime | None = None
    events: list[ListingStatusChanged] = field(default_factory=list)

    def reported(self, status: str, issues: list[dict[str, Any]], reported_at: datetime, now: datetime) -> bool:
        """A status the marketplace reported (a notification, a status call). Its time counts from no later
        than now: a report dated in the future would outrank every genuine one after it and a re-sync could
        never correct it. A report older than the one held changes nothing (False)."""
        at = min(reported_at, now)
        if self.status_at > at:
            return False
        self.answered(status, issues, at)
        if status != "pending":
            self.verify_at = None  # settled: nothing to ask again
        return True

    def answered(self, status: str, issues: list[dict[str, Any]], at: datetime) -> None:
        """The status a push's answer gave (`answered` has already set aside one a newer report overtook).
        An unchanged status and issues are not news: nothing is recorded."""
        if (self.status, self.issues) == (status, issues):
            return
        self.status, self.issues, self.status_at = status, issues, at
        if status != "pending":
            self.verify_at = None
        self.events.append(ListingStatusChanged(self.account_id, self.clf_id, self.sku, self.channel, status, issues,
                                                at))  # fmt: skip

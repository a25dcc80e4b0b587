"""Rules of listing sync, free of I/O: what quantity a channel may show, and when to try again."""

from __future__ import annotations

from dataclasses import dataclass
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

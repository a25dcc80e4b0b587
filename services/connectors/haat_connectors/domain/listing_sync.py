"""Rules of listing sync, free of I/O: what quantity a channel may show, and when to try again."""

from __future__ import annotations

from haat.backoff import Backoff


def sellable_quantity(available: int | None, held: int) -> int:
    """What every channel may offer: the catalog's available stock less units sold on a marketplace that
    the catalog has not reserved yet. Unknown stock is offered as zero: a listing never oversells."""
    return max(0, (available or 0) - held)


# Work that failed after the HTTP layer's own retries (a push, an order fetch, a task): 5 s, 10 s, … 10 min.
RETRY = Backoff.doubling(5, 600)

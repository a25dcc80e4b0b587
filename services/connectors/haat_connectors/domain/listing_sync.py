"""Rules of listing sync, free of I/O: what quantity a channel may show, and when to try again."""

from __future__ import annotations

import random
from datetime import timedelta


def sellable_quantity(available: int | None, held: int) -> int:
    """What every channel may offer: the catalog's available stock less units sold on a marketplace that
    the catalog has not reserved yet. Unknown stock is offered as zero: a listing never oversells."""
    return max(0, (available or 0) - held)


def retry_delay(attempts: int) -> timedelta:
    """Backoff for work that failed after the HTTP layer's own retries: 5 s, 10 s, ... up to 10 min, ±20%."""
    base = min(600.0, 5.0 * 2 ** max(0, attempts - 1))
    return timedelta(seconds=base * random.uniform(0.8, 1.2))

"""Money at the marketplace boundary: Haat keeps integer paise; the seller APIs speak decimal rupees."""

from __future__ import annotations

from decimal import Decimal


def rupees(paise: int) -> float:
    return float(Decimal(paise) / 100)


def paise(amount: str | float | None) -> int:
    """An amount the marketplace sent (rupees, as text or a number) in paise, rounded half to even."""
    return int((Decimal(str(amount or 0)) * 100).to_integral_value())

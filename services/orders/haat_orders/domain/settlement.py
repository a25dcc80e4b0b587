"""What an SHG is owed for a sale, free of frameworks: every deduction rounded to the paisa, half up, and
shares of an order-level fee split by value so that they add up to the fee exactly."""

from __future__ import annotations

from dataclasses import dataclass

# The amounts of a settlement line, and of them what is taken off the gross at settling.
AMOUNTS = ("gross_paise", "fee_paise", "shipping_paise", "tcs_paise", "tds_paise", "net_paise")
DEDUCTIONS = AMOUNTS[1:]


@dataclass(frozen=True)
class LedgerLine:
    """A line of what an SHG is owed: a sale of an order line, or its reversal on return."""

    id: str
    order_id: str
    line: int
    kind: str  # sale | reversal
    clf_id: str
    shg_id: str
    channel: str
    sku: str
    gross_paise: int
    taxable_paise: int


@dataclass(frozen=True)
class Payable:
    gross_paise: int
    fee_paise: int
    shipping_paise: int
    tcs_paise: int
    tds_paise: int

    @property
    def net_paise(self) -> int:
        return self.gross_paise - self.fee_paise - self.shipping_paise - self.tcs_paise - self.tds_paise


def basis_points(amount: int, bp: int) -> int:
    """amount * bp / 10000, rounded half up (amounts are never negative here)."""
    return (amount * bp + 5000) // 10000


def shares(total: int, weights: list[int]) -> list[int]:
    """`total` split in proportion to `weights`, largest remainders first: the parts add up to `total`."""
    whole = sum(weights)
    if whole <= 0:
        return [total] + [0] * (len(weights) - 1) if weights else []
    exact = [total * w for w in weights]
    parts = [e // whole for e in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: (-(exact[i] % whole), i))
    for i in by_remainder[: total - sum(parts)]:
        parts[i] += 1
    return parts


def payable(gross: int, taxable: int, shipping: int, *, fee_bp: int, tcs_bp: int, tds_bp: int) -> Payable:
    return Payable(
        gross_paise=gross,
        fee_paise=basis_points(gross, fee_bp),
        shipping_paise=shipping,
        tcs_paise=basis_points(taxable, tcs_bp),
        tds_paise=basis_points(gross, tds_bp),
    )

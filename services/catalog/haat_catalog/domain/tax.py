"""What GST a product is sold at, checked against the dated rate table (haat.gst_rates).

The rate follows from the HSN code: a coordinator need not know it, and a rate that is not the law's cannot
pass unseen. What stops a product (at submit, approval and publish): 0% for a taxable code without the
reason it is exempt, and a rate that is no longer a slab (12% since 22 Sep 2025). What is flagged for the
reviewer but not stopped: a rate the table does not give for the code (the table knows headings; a tariff
item may differ), or a code the table does not know.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from haat import gst_rates
from haat_catalog.domain.refusals import FieldRefusal


@dataclass(frozen=True)
class GstCheck:
    status: str  # ok | exempt | mismatch | unknown_code
    expected_bp: tuple[int, ...]  # what the table gives for the code on the day (empty: unknown code)
    source: str  # the notification the table's entry comes from
    blocking: FieldRefusal | None  # what stops submit, approval and publish

    def as_dict(self) -> dict[str, object]:
        return {"status": self.status, "expected_bp": list(self.expected_bp), "source": self.source,
                "problem": self.blocking.code if self.blocking else None}  # fmt: skip


def _percent(rate_bp: int) -> str:
    return f"{rate_bp / 100:g}%"


def check_gst(hsn_code: str, rate_bp: int, exempt_reason: str | None, unit_price_paise: int, day: date) -> GstCheck:
    found = gst_rates.ruling(hsn_code, day, unit_price_paise)
    expected = tuple(sorted(found.rates_bp))
    source = "; ".join(dict.fromkeys(entry.source for entry in found.entries))
    blocking = None
    if rate_bp == 0 and not exempt_reason and found.taxable:
        blocking = FieldRefusal(
            "gst_zero_for_taxable",
            f"HSN {hsn_code} is taxable"
            + (f" at {' or '.join(map(_percent, expected))}" if expected else "")
            + ": choose its rate, or mark the product exempt and say why",
            {"hsn": hsn_code, "expected": [_percent(r) for r in expected]},
        )
    elif rate_bp not in gst_rates.slabs_on(day):
        blocking = FieldRefusal(
            "gst_rate_not_a_slab",
            f"{_percent(rate_bp)} is not a GST rate on {day:%d-%m-%Y}"
            + (f"; HSN {hsn_code} is taxed at {' or '.join(map(_percent, expected))}" if expected else ""),
            {
                "hsn": hsn_code,
                "rate": _percent(rate_bp),
                "date": f"{day:%d-%m-%Y}",
                "expected": [_percent(r) for r in expected],
            },
        )
    if exempt_reason:
        status = "exempt"
    elif not found.known:
        status = "unknown_code"
    else:
        status = "ok" if found.allows(rate_bp) else "mismatch"
    return GstCheck(status, expected, source, blocking)


def rate_for(hsn_code: str, unit_price_paise: int, day: date) -> int | None:
    """The rate the table gives the code when it leaves no choice (None: unknown code, or several entries)."""
    return gst_rates.ruling(hsn_code, day, unit_price_paise).single_rate_bp


def choices_for(hsn_code: str, unit_price_paise: int | None, day: date) -> list[int]:
    return sorted(gst_rates.ruling(hsn_code, day, unit_price_paise).rates_bp)


def rate_asked_for(
    hsn_code: str, unit_price_paise: int | None, exempt_reason: str | None, day: date
) -> int | FieldRefusal:
    """The rate of a product whose rate is left to the table (a new one without a rate, an edit that asks for
    it): 0 when it is exempt, the code's when the code leaves no choice, else why it cannot be filled in."""
    if exempt_reason:
        return 0
    derived = rate_for(hsn_code, unit_price_paise, day) if unit_price_paise is not None else None
    return rate_needed(hsn_code, unit_price_paise, day) if derived is None else derived


def rate_needed(hsn_code: str, unit_price_paise: int | None, day: date) -> FieldRefusal:
    """Why a new product's rate cannot be filled in for it."""
    choices = choices_for(hsn_code, unit_price_paise, day)
    if choices:
        rates = [_percent(r) for r in choices]
        message = f"HSN {hsn_code} is taxed at {' or '.join(rates)}: say which applies"
        return FieldRefusal("gst_rate_choose", message, {"hsn": hsn_code, "choices": rates})
    return FieldRefusal("gst_rate_unknown_code", f"HSN {hsn_code} is not in Haat's rate table: give its GST rate",
                      {"hsn": hsn_code})  # fmt: skip

"""GST on an invoice, in paise, free of frameworks.

Marketplace prices include GST, so each line's taxable value is taken back out of what the buyer paid:
taxable = gross * 10000 / (10000 + rate in basis points), rounded to the paisa, and the tax is the rest
(so taxable + tax is exactly what was paid). Within the supplier's state the tax is CGST + SGST, half each
(an odd paisa goes to SGST); across states it is IGST. Totals are the sums of the lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from haat.gst_rates import rate_on

ONES = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
        "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]  # fmt: skip
TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


@dataclass(frozen=True)
class TaxedLine:
    sku: str
    description: str
    hsn_code: str
    quantity: int
    gst_rate_bp: int
    gross_paise: int  # what the buyer paid for the line, GST included
    taxable_paise: int
    cgst_paise: int
    sgst_paise: int
    igst_paise: int


def tax_line(
    sku: str, description: str, hsn_code: str, quantity: int, unit_price_paise: int, gst_rate_bp: int,
    *, intra_state: bool, taxed: bool = True,
) -> TaxedLine:  # fmt: skip
    gross = unit_price_paise * quantity
    if not taxed:  # a bill of supply: the seller charges no GST
        return TaxedLine(sku, description, hsn_code, quantity, 0, gross, gross, 0, 0, 0)
    taxable = (gross * 10000 * 2 + (10000 + gst_rate_bp)) // (2 * (10000 + gst_rate_bp))  # half up
    tax = gross - taxable
    if intra_state:
        cgst = tax // 2
        return TaxedLine(sku, description, hsn_code, quantity, gst_rate_bp, gross, taxable, cgst, tax - cgst, 0)
    return TaxedLine(sku, description, hsn_code, quantity, gst_rate_bp, gross, taxable, 0, 0, tax)


def charged_rate(hsn_code: str, recorded_rate_bp: int, exempt: bool, unit_price_paise: int, day: date) -> int:
    """The rate a sale of `day` is taxed at: 0 for an exempt product, else the rate in force that day for the
    code (and the price of a piece), the catalog's recorded rate only where the table leaves the choice."""
    return 0 if exempt else rate_on(hsn_code, day, unit_price_paise, recorded_rate_bp)


def financial_year(day: date) -> str:
    """India's financial year (April to March) as four digits: 2026-11-24 → "2627"."""
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start % 100:02d}{(start + 1) % 100:02d}"


def _words_below_thousand(n: int) -> str:
    hundreds, rest = divmod(n, 100)
    words = [f"{ONES[hundreds]} hundred"] if hundreds else []
    if rest >= 20:
        words.append(TENS[rest // 10] + (f"-{ONES[rest % 10]}" if rest % 10 else ""))
    elif rest:
        words.append(ONES[rest])
    return " ".join(words)


def number_in_words(n: int) -> str:
    """Indian numbering: 12345678 → "one crore twenty-three lakh forty-five thousand six hundred seventy-eight"."""
    if n == 0:
        return "zero"
    parts = []
    for size, name in ((10**7, "crore"), (10**5, "lakh"), (10**3, "thousand")):
        count, n = divmod(n, size)
        if count:
            parts.append(f"{number_in_words(count)} {name}")
    if n:
        parts.append(_words_below_thousand(n))
    return " ".join(parts)


def rupees_in_words(paise: int) -> str:
    """What an invoice prints under its total: 12345678 → "one lakh twenty-three thousand four hundred
    fifty-six rupees and seventy-eight paise only"."""
    rupees, rest = divmod(paise, 100)
    text = f"{number_in_words(rupees)} {'rupee' if rupees == 1 else 'rupees'}"
    if rest:
        text += f" and {number_in_words(rest)} paise"
    return text + " only"

"""Numbers, money and dates as people in India write them, for pages and printed documents alike."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

IST = timezone(timedelta(hours=5, minutes=30), "IST")


def date_in_india(moment: datetime) -> date:
    """The Indian date of a moment (what GST and invoices go by): 22 Sep 2025 00:30 IST is the 22nd, though
    it is still the 21st in UTC."""
    return moment.astimezone(IST).date()


def indian_date(day: date | datetime) -> str:
    """DD-MM-YYYY, as invoices in India print dates (a moment is first taken to IST)."""
    return f"{date_in_india(day) if isinstance(day, datetime) else day:%d-%m-%Y}"


def indian_number(value: int) -> str:
    """Digits grouped the Indian way: 12345678 → "1,23,45,678"."""
    sign, digits = ("-", str(-value)) if value < 0 else ("", str(value))
    if len(digits) <= 3:
        return sign + digits
    head, tail = digits[:-3], digits[-3:]
    groups: list[str] = []
    while len(head) > 2:
        head, groups = head[:-2], [head[-2:], *groups]
    return sign + ",".join([head, *groups, tail])


def rupees(paise: int) -> str:
    """Money as people in India write it: 12345600 → "₹1,23,456.00"."""
    whole, rest = divmod(abs(paise), 100)
    return f"{'-' if paise < 0 else ''}₹{indian_number(whole)}.{rest:02d}"


def paise_from_rupees(text: str) -> int:
    """An amount as people type it ("249.5", "₹1,249.50", "Rs. 249") in paise; ValueError if it is not a
    non-negative amount with at most two decimals."""
    cleaned = text.replace("₹", "").replace("Rs.", "").replace("Rs", "").replace(",", "").strip()
    whole, dot, fraction = cleaned.partition(".")
    if not (whole or fraction) or not (whole or "0").isdigit() or (dot and not fraction.isdigit()) or len(fraction) > 2:
        raise ValueError(f"not an amount in rupees: {text!r}")
    return int(whole or "0") * 100 + int((fraction + "00")[:2])


def hindi_first(title: str) -> str:
    """A name kept in both languages ("Mango pickle / आम का अचार") with its Hindi part first, for Hindi
    readers (pages in Hindi, the packers' pick lists and slips)."""
    parts = title.split(" / ")
    if len(parts) < 2:
        return title
    in_hindi = [part for part in parts if any("\u0900" <= ch <= "\u097f" for ch in part)]
    return " / ".join(in_hindi + [part for part in parts if part not in in_hindi])

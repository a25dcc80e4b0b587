"""Numbers and money as people in India write them, for pages and printed documents alike."""

from __future__ import annotations


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

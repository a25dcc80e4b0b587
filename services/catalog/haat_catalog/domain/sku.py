"""A SKU made from the product's name, so that a coordinator never has to invent one: "Raw mango pickle,
500 g" becomes RAW-MANGO-PICKLE-500-G, a Hindi-only name is written in Latin letters first (नींबू का अचार →
NIMBU-KA-ACAR), and a SKU the CLF already has gets -2, -3, … ."""

from __future__ import annotations

import re
from collections.abc import Callable

from anyascii import anyascii

MAX_LENGTH = 40  # short enough for a label and for the marketplaces' SKU fields, with room for a suffix


def sku_from_name(title_en: str | None, title_hi: str | None) -> str:
    latin = anyascii(title_en or title_hi or "")
    words = re.sub(r"[^A-Za-z0-9]+", "-", latin).strip("-").upper()
    return words[:MAX_LENGTH].rstrip("-") or "ITEM"


def free_sku(base: str, taken: Callable[[str], bool]) -> str:
    """`base`, or the first of base-2, base-3, … that `taken` says is free."""
    candidate, n = base, 1
    while taken(candidate):
        n += 1
        candidate = f"{base}-{n}"
    return candidate

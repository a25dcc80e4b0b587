"""The product aggregate (plain Python; the ORM is mapped onto it from adapters/orm.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

HSN_CODE = re.compile(r"^[0-9]{4}([0-9]{2}){0,2}$")  # 4, 6 or 8 digits
# GST rates in basis points: the slabs a product can be invoiced at (incl. the special ones for
# precious stones, gold and rough diamonds).
GST_SLABS_BP = frozenset({0, 10, 25, 150, 300, 500, 1200, 1800, 2800, 4000})


class InvalidProduct(ValueError):
    pass


@dataclass
class Product:
    sku: str
    clf_id: str
    hsn_code: str
    gst_rate_bp: int
    mrp_paise: int
    price_paise: int
    title_en: str | None = None
    title_hi: str | None = None
    status: str = "draft"
    created_at: datetime | None = None
    submitted_at: datetime | None = None

    def __post_init__(self) -> None:
        problems = []
        if not (self.title_en or self.title_hi):
            problems.append("a title in English or Hindi is required")
        if not HSN_CODE.match(self.hsn_code):
            problems.append(f"HSN code {self.hsn_code!r} must be 4, 6 or 8 digits")
        if self.gst_rate_bp not in GST_SLABS_BP:
            problems.append(f"GST rate {self.gst_rate_bp / 100:g}% is not a GST slab")
        if self.price_paise <= 0 or self.mrp_paise <= 0:
            problems.append("prices must be positive")
        elif self.price_paise > self.mrp_paise:
            problems.append("selling price cannot exceed MRP")
        if problems:
            raise InvalidProduct("; ".join(problems))

    def submit(self, now: datetime) -> None:
        if self.status != "draft":
            raise InvalidProduct(f"only a draft can be submitted; this product is {self.status}")
        self.status = "submitted"
        self.submitted_at = now

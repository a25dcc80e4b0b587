"""What the orders service knows of the catalog's registry and products (kept from its events): the
facts an invoice and a settlement line are made of."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ProductFacts:
    title: str  # both languages, where the catalog has both
    hsn_code: str
    gst_rate_bp: int  # as the catalog recorded it; an invoice charges the rate in force on its date
    gst_exempt: bool
    category: str | None
    shg_id: str | None  # the SHG that made it (the first, when several did): who is paid


@dataclass(frozen=True)
class Seller:
    """A CLF as the seller on its invoices."""

    clf_id: str
    name: str
    gstin: str | None  # None: not registered for GST, so a bill of supply and no tax
    state_code: str
    state_name: str
    district_name: str
    address: str | None = None
    pincode: str | None = None


@dataclass(frozen=True)
class Shg:
    id: str
    clf_id: str
    name: str
    bank_account_ref: str | None

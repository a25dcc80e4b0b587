"""Request and response bodies of the catalog API."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

SKU = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


class ProductFields(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title_en: str | None = Field(default=None, max_length=500)
    title_hi: str | None = Field(default=None, max_length=500)
    description_en: str | None = Field(default=None, max_length=5000)
    description_hi: str | None = Field(default=None, max_length=5000)
    category: str = Field(default="general", max_length=50)
    brand: str | None = Field(default=None, max_length=200)
    family_id: str | None = Field(default=None, max_length=64, description="variants share a family id")
    hsn_code: str = Field(min_length=4, max_length=8, description="4, 6 or 8 digits")
    gst_rate_bp: int | None = Field(
        default=None, ge=0, le=10000,
        description="GST rate in basis points (1800 = 18%); left out, the rate table's rate for the HSN code",
    )  # fmt: skip
    gst_exempt_reason: str | None = Field(
        default=None, max_length=300, description="why a taxable HSN code is sold at 0% (e.g. the exemption)"
    )
    mrp_paise: int = Field(gt=0, le=10**10)
    price_paise: int = Field(gt=0, le=10**10)
    weight_grams: int | None = Field(default=None, gt=0, le=10**6)
    length_mm: int | None = Field(default=None, gt=0, le=10**5)
    width_mm: int | None = Field(default=None, gt=0, le=10**5)
    height_mm: int | None = Field(default=None, gt=0, le=10**5)
    country_of_origin: str = Field(default="IN", min_length=2, max_length=2)
    ingredients: str | None = Field(default=None, max_length=5000)
    shelf_life_days: int | None = Field(default=None, gt=0, le=3650)
    fssai_licence: str | None = Field(default=None, max_length=14)
    shg_ids: list[str] = Field(default_factory=list, max_length=50)


class NewProduct(ProductFields):
    sku: str | None = SKU
    clf_id: str | None = Field(default=None, description="default: the coordinator's own CLF")


class ProductChanges(BaseModel):
    """Only the fields sent are changed."""

    model_config = ConfigDict(extra="forbid")

    title_en: str | None = Field(default=None, max_length=500)
    title_hi: str | None = Field(default=None, max_length=500)
    description_en: str | None = Field(default=None, max_length=5000)
    description_hi: str | None = Field(default=None, max_length=5000)
    category: str | None = Field(default=None, max_length=50)
    brand: str | None = Field(default=None, max_length=200)
    family_id: str | None = Field(default=None, max_length=64)
    hsn_code: str | None = Field(default=None, min_length=4, max_length=8)
    gst_rate_bp: int | None = Field(default=None, ge=0, le=10000)
    gst_exempt_reason: str | None = Field(default=None, max_length=300)
    mrp_paise: int | None = Field(default=None, gt=0, le=10**10)
    price_paise: int | None = Field(default=None, gt=0, le=10**10)
    weight_grams: int | None = Field(default=None, gt=0, le=10**6)
    length_mm: int | None = Field(default=None, gt=0, le=10**5)
    width_mm: int | None = Field(default=None, gt=0, le=10**5)
    height_mm: int | None = Field(default=None, gt=0, le=10**5)
    country_of_origin: str | None = Field(default=None, min_length=2, max_length=2)
    ingredients: str | None = Field(default=None, max_length=5000)
    shelf_life_days: int | None = Field(default=None, gt=0, le=3650)
    fssai_licence: str | None = Field(default=None, max_length=14)
    shg_ids: list[str] | None = Field(default=None, max_length=50)


class GstCheckOut(BaseModel):
    """The product's GST against the dated rate table today (see haat.gst_rates)."""

    status: Literal["ok", "exempt", "mismatch", "unknown_code"]
    expected_bp: list[int] = Field(description="the rates the table gives the HSN code today")
    source: str = Field(description="the rate notification the table's entry comes from")
    problem: str | None = Field(description="what stops submit, approval and publish (a stable code), if anything")


class ProductOut(ProductFields):
    model_config = ConfigDict(extra="ignore", from_attributes=True)

    sku: str
    clf_id: str
    gst_rate_bp: int | None
    status: str
    rejection_reason: str | None
    gst_check: GstCheckOut
    history: list[dict[str, str]]
    created_by: str | None
    created_at: datetime
    updated_at: datetime


class Rejection(BaseModel):
    reason: str = Field(min_length=3, max_length=2000)


class Listing(BaseModel):
    channel: str
    status: Literal["pending", "live", "rejected", "suppressed", "inactive"]
    issues: list[dict[str, Any]]
    reported_at: datetime


class StockAtHouse(BaseModel):
    packaging_house_id: str
    on_hand: int
    reserved: int
    available: int


class StockOut(BaseModel):
    sku: str
    clf_id: str
    available_total: int
    houses: list[StockAtHouse]


class Receipt(BaseModel):
    packaging_house_id: str
    quantity: int = Field(gt=0, le=10**6)
    reason: str = Field(default="receipt", max_length=500)


class Adjustment(BaseModel):
    packaging_house_id: str
    delta: int = Field(ge=-(10**6), le=10**6, description="positive: found; negative: damaged or lost")
    reason: str = Field(min_length=3, max_length=500)

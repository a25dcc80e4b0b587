"""Events the catalog service publishes."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from haat.events import topics
from haat.events.registry import EventData, event_type

HSN_PATTERN = r"^[0-9]{4}([0-9]{2}){0,2}$"


@event_type(
    "haat.catalog.product.submitted.v1",
    topic=topics.CATALOG_PRODUCTS,
    description="A coordinator submitted a product for approval.",
)
class ProductSubmittedV1(EventData):
    subject_field: ClassVar[str] = "sku"

    sku: str = Field(description="SKU, unique within the CLF")
    clf_id: str
    title_en: str | None = None
    title_hi: str | None = None
    hsn_code: str = Field(pattern=HSN_PATTERN)
    gst_rate_bp: int = Field(description="GST rate in basis points (1800 = 18%)")
    mrp_paise: int = Field(ge=0)
    price_paise: int = Field(ge=0)

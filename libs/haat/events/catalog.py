"""Events the catalog service publishes (topics haat.catalog.products and haat.catalog.stock)."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from haat.events import topics
from haat.events.registry import EventData, event_type

HSN_PATTERN = r"^[0-9]{4}([0-9]{2}){0,2}$"


class ProductSnapshot(EventData):
    """What a product is at the moment of the event: enough for a channel to list it."""

    subject_field: ClassVar[str] = "sku"

    sku: str = Field(description="SKU, unique within the CLF (the marketplace seller)")
    clf_id: str
    family_id: str | None = Field(default=None, description="variants of one product share a family id")
    title_en: str | None = None
    title_hi: str | None = None
    description_en: str | None = None
    description_hi: str | None = None
    category: str = "general"
    brand: str | None = None
    hsn_code: str = Field(pattern=HSN_PATTERN)
    gst_rate_bp: int = Field(description="GST rate in basis points (1800 = 18%)")
    gst_exempt_reason: str | None = Field(default=None, description="set: sold at 0% GST, and why")
    mrp_paise: int = Field(ge=0)
    price_paise: int = Field(ge=0)
    weight_grams: int | None = None
    length_mm: int | None = None
    width_mm: int | None = None
    height_mm: int | None = None
    country_of_origin: str = "IN"
    shg_ids: list[str] = Field(default_factory=list)
    image_urls: list[str] = Field(default_factory=list, description="paths of the photos, first is the main one")
    status: str = "draft"


@event_type(
    "haat.catalog.product.submitted.v1",
    topic=topics.CATALOG_PRODUCTS,
    description="A coordinator submitted a product for approval.",
)
class ProductSubmittedV1(ProductSnapshot):
    pass


@event_type("haat.catalog.product.approved.v1", topic=topics.CATALOG_PRODUCTS, description="A product was approved.")
class ProductApprovedV1(ProductSnapshot):
    pass


@event_type(
    "haat.catalog.product.rejected.v1",
    topic=topics.CATALOG_PRODUCTS,
    description="A product was rejected at approval, with the reason.",
)
class ProductRejectedV1(ProductSnapshot):
    reason: str


@event_type(
    "haat.catalog.product.published.v1",
    topic=topics.CATALOG_PRODUCTS,
    description="A product is published: channels should list it.",
)
class ProductPublishedV1(ProductSnapshot):
    pass


@event_type(
    "haat.catalog.product.updated.v1",
    topic=topics.CATALOG_PRODUCTS,
    description="A product's details or price changed.",
)
class ProductUpdatedV1(ProductSnapshot):
    changed: list[str] = Field(default_factory=list, description="names of the fields that changed")


@event_type(
    "haat.catalog.product.retired.v1",
    topic=topics.CATALOG_PRODUCTS,
    description="A product is retired: channels should delist it.",
)
class ProductRetiredV1(ProductSnapshot):
    pass


@event_type(
    "haat.catalog.stock.changed.v1",
    topic=topics.CATALOG_STOCK,
    description="The available quantity of a SKU changed (at one packaging house, and in total).",
)
class StockChangedV1(EventData):
    subject_field: ClassVar[str] = "sku"

    sku: str
    clf_id: str
    packaging_house_id: str
    on_hand: int
    reserved: int
    available: int = Field(description="on hand minus reserved at this packaging house")
    available_total: int = Field(description="available across all of the CLF's packaging houses")
    reason: str
    order_id: str | None = None


@event_type(
    "haat.catalog.stock.reservation_failed.v1",
    topic=topics.CATALOG_STOCK,
    description="An order could not be reserved in full; nothing of it was reserved.",
)
class StockReservationFailedV1(EventData):
    subject_field: ClassVar[str] = "order_id"

    order_id: str
    clf_id: str
    shortfalls: list[dict[str, object]] = Field(description="[{sku, requested, available}]")


@event_type(
    "haat.catalog.clf.registered.v1",
    topic=topics.CATALOG_REGISTRY,
    description="A CLF (the registered seller of its SHGs' products) joined, with what its invoices need.",
)
class ClfRegisteredV1(EventData):
    subject_field: ClassVar[str] = "clf_id"

    clf_id: str
    name: str
    name_hi: str | None = None
    gstin: str | None = Field(default=None, description="None: not registered for GST (bills of supply)")
    state_code: str = Field(description="LGD code of the state: the place the goods are supplied from")
    state_name: str
    district_name: str = ""
    address: str | None = Field(default=None, description="the CLF's address, as its invoices print it")
    pincode: str | None = None


@event_type(
    "haat.catalog.clf.updated.v1",
    topic=topics.CATALOG_REGISTRY,
    description="A CLF's seller details changed (GSTIN, address, names): the whole of them as they now are.",
)
class ClfUpdatedV1(ClfRegisteredV1):
    pass


@event_type(
    "haat.catalog.shg.registered.v1",
    topic=topics.CATALOG_REGISTRY,
    description="A self-help group joined its CLF (settlements are paid to it).",
)
class ShgRegisteredV1(EventData):
    subject_field: ClassVar[str] = "shg_id"

    shg_id: str
    clf_id: str
    name: str
    name_hi: str | None = None
    bank_account_ref: str | None = Field(default=None, description="the bank's reference of its account")

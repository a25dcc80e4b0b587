"""The request bodies Flipkart's Seller API v3 takes, as strict models: a field it does not know is refused."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import Path
from pydantic import BaseModel, ConfigDict, Field, RootModel

from haat_sandboxes.flipkart.sandbox import MAX_SKUS_PER_CALL

SKU_PATH = Annotated[str, Path(max_length=MAX_SKUS_PER_CALL * 65)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Price(_Strict):
    mrp: float = Field(gt=0)
    selling_price: float = Field(gt=0)
    currency: Literal["INR"] = "INR"


class Location(_Strict):
    id: str
    status: Literal["ENABLE", "DISABLE"] = "ENABLE"
    inventory: int = Field(ge=0)


class Tax(_Strict):
    hsn: str = Field(pattern=r"^[0-9]{4,8}$")
    tax_code: str


class Fulfillment(_Strict):
    dispatch_sla: int = Field(ge=1, le=15)
    shipping_provider: Literal["FLIPKART", "SELLER"] = "FLIPKART"
    procurement_type: Literal["REGULAR", "EXPRESS", "MADE_TO_ORDER"] = "REGULAR"


class Package(_Strict):
    name: str
    dimensions: dict[str, float]
    weight: float = Field(gt=0)
    description: str = ""
    handling: dict[str, bool] = Field(default_factory=dict)
    notional_value: dict[str, Any] = Field(default_factory=dict)


class ListingBody(_Strict):
    product_id: str
    price: Price
    tax: Tax
    listing_status: Literal["ACTIVE", "INACTIVE"]
    shipping_fees: dict[str, float] = Field(default_factory=dict)
    fulfillment_profile: Literal["NON_FBF", "FBF"] = "NON_FBF"
    fulfillment: Fulfillment
    packages: list[Package] = Field(min_length=1)
    locations: list[Location] = Field(min_length=1)
    title: str = Field(min_length=1, max_length=500)
    images: list[str] = Field(default_factory=list)


class PriceBody(_Strict):
    product_id: str
    price: Price


class InventoryBody(_Strict):
    product_id: str
    locations: list[Location] = Field(min_length=1)


def _batch(model: type[BaseModel]) -> type[RootModel[Any]]:
    return RootModel[dict[Annotated[str, Field(min_length=1, max_length=64)], model]]  # type: ignore[valid-type]


ListingBatch, PriceBatch, InventoryBatch = _batch(ListingBody), _batch(PriceBody), _batch(InventoryBody)


class ShipmentFilter(_Strict):
    type: Literal["preDispatch", "postDispatch", "cancelled"]
    states: list[str] = Field(default_factory=list)
    modifiedDate: dict[str, datetime] | None = None
    orderDate: dict[str, datetime] | None = None


class FilterRequest(_Strict):
    filter: ShipmentFilter
    pagination: dict[str, int] = Field(default_factory=lambda: {"pageSize": 20})

"""A marketplace order as the connectors read it from a marketplace, free of frameworks. What the other
services hear of it is the published contract (haat.events.connectors), made from this in the service layer:
the contract can stay stable while the marketplaces' documents change."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

Status = Literal["open", "shipped", "delivered", "cancelled", "return_requested", "returned"]


def order_key(channel: str, marketplace_order_id: str) -> str:
    """Haat's id of a marketplace order (orders uses it as its order id; the catalog reports it back)."""
    return f"{channel}-{marketplace_order_id}"


@dataclass(frozen=True)
class Address:
    state: str  # state or union territory: decides CGST+SGST or IGST
    city: str = ""
    postal_code: str = ""
    country: str = "IN"


@dataclass(frozen=True)
class OrderLine:
    sku: str
    quantity: int
    unit_price_paise: int  # per unit, including GST, as the buyer paid
    marketplace_item_id: str
    tax_paise: int = 0  # tax the marketplace reported for the line (0: not given)
    title: str = ""

    def __post_init__(self) -> None:
        if self.quantity <= 0 or self.unit_price_paise < 0 or self.tax_paise < 0:
            raise ValueError(
                f"an order line of {self.sku} with quantity {self.quantity} and price {self.unit_price_paise}"
            )


@dataclass(frozen=True)
class FetchedOrder:
    order_key: str
    channel: str
    marketplace_order_id: str
    seller_account_id: str
    clf_id: str
    status: Status
    marketplace_status: str  # in the marketplace's own words
    purchased_at: datetime
    marketplace_updated_at: datetime  # the marketplace's time of this state: newer wins
    shipping_address: Address
    items: list[OrderLine]
    ship_by: datetime | None = None
    deliver_by: datetime | None = None
    raw: dict[str, Any] = field(default_factory=dict)  # the marketplace's document as received

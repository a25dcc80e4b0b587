"""Events the connectors service publishes (topics haat.connectors.listings and haat.connectors.orders)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar, Literal

from pydantic import Field

from haat.events import topics
from haat.events.registry import EventData, event_type

ListingStatus = Literal["pending", "live", "rejected", "suppressed", "inactive"]


class ListingIssue(EventData):
    code: str = ""
    message: str
    severity: Literal["error", "warning", "info"] = "error"


@event_type(
    "haat.connectors.listing.status_changed.v1",
    topic=topics.CONNECTORS_LISTINGS,
    description="A marketplace reported a new status for a listing (with its issues).",
)
class ListingStatusChangedV1(EventData):
    subject_field: ClassVar[str] = "sku"

    sku: str
    clf_id: str
    channel: str
    status: ListingStatus
    issues: list[ListingIssue] = Field(default_factory=list)
    reported_at: datetime = Field(description="the marketplace's own time of this status")


MarketplaceOrderStatus = Literal["open", "cancelled", "shipped", "delivered", "return_requested", "returned"]


def order_key(channel: str, marketplace_order_id: str) -> str:
    """Haat's id of a marketplace order (orders uses it as its order id; the catalog reports it back)."""
    return f"{channel}-{marketplace_order_id}"


class ShippingAddress(EventData):
    city: str = ""
    state: str = Field(description="state or union territory: decides CGST+SGST or IGST")
    postal_code: str = ""
    country: str = "IN"


class MarketplaceOrderItem(EventData):
    sku: str
    quantity: int = Field(gt=0)
    unit_price_paise: int = Field(ge=0, description="price per unit including GST, as the buyer paid")
    tax_paise: int = Field(default=0, ge=0, description="tax the marketplace reported for the line (0: not given)")
    marketplace_item_id: str
    title: str = ""


class MarketplaceOrder(EventData):
    subject_field: ClassVar[str] = "order_key"

    order_key: str = Field(description="channel-marketplace order id: Haat's id of this order")
    channel: str
    marketplace_order_id: str
    seller_account_id: str
    clf_id: str
    status: MarketplaceOrderStatus
    marketplace_status: str = Field(description="the status in the marketplace's own words")
    purchased_at: datetime
    marketplace_updated_at: datetime = Field(description="the marketplace's time of this state: newer wins")
    ship_by: datetime | None = None
    deliver_by: datetime | None = None
    shipping_address: ShippingAddress
    items: list[MarketplaceOrderItem]
    raw: dict[str, Any] = Field(default_factory=dict, description="the marketplace's order as received")


@event_type(
    "haat.connectors.marketplace_order.received.v1",
    topic=topics.CONNECTORS_ORDERS,
    public=False,  # carries the marketplace's own document and the buyer's address: between services only
    description="A marketplace order was seen for the first time (once per order, whatever the duplicates).",
)
class MarketplaceOrderReceivedV1(MarketplaceOrder):
    pass


@event_type(
    "haat.connectors.marketplace_order.updated.v1",
    topic=topics.CONNECTORS_ORDERS,
    public=False,  # carries the marketplace's own document and the buyer's address: between services only
    description="A marketplace reported a newer state of an order (older reports are dropped).",
)
class MarketplaceOrderUpdatedV1(MarketplaceOrder):
    pass


@event_type(
    "haat.connectors.marketplace_order.cancelled.v1",
    topic=topics.CONNECTORS_ORDERS,
    public=False,  # carries the marketplace's own document and the buyer's address: between services only
    description="A marketplace order was cancelled on the marketplace (by the buyer or the marketplace).",
)
class MarketplaceOrderCancelledV1(MarketplaceOrder):
    pass

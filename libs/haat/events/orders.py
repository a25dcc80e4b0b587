"""Events the orders service publishes (topic haat.orders.orders), as far as other services rely on them.

The orders issue owns these contracts; the catalog already reserves and releases stock on them.
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from haat.events import topics
from haat.events.registry import EventData, event_type


class OrderLine(EventData):
    sku: str
    quantity: int = Field(gt=0)
    unit_price_paise: int = Field(default=0, ge=0)


class OrderEvent(EventData):
    subject_field: ClassVar[str] = "order_id"

    order_id: str
    clf_id: str
    channel: str
    packaging_house_id: str | None = None
    items: list[OrderLine]


@event_type("haat.orders.order.created.v1", topic=topics.ORDERS_ORDERS, description="A new order was received.")
class OrderCreatedV1(OrderEvent):
    pass


@event_type("haat.orders.order.cancelled.v1", topic=topics.ORDERS_ORDERS, description="An order was cancelled.")
class OrderCancelledV1(OrderEvent):
    reason: str = ""


@event_type("haat.orders.order.shipped.v1", topic=topics.ORDERS_ORDERS, description="An order was handed over.")
class OrderShippedV1(OrderEvent):
    carrier: str = ""
    tracking_id: str = ""


@event_type(
    "haat.orders.order.returned.v1",
    topic=topics.ORDERS_ORDERS,
    description="A returned order arrived back; restocked items are sellable again.",
)
class OrderReturnedV1(OrderEvent):
    restocked: bool = True


@event_type(
    "haat.orders.order.accepted.v1", topic=topics.ORDERS_ORDERS, description="The packaging house accepted an order."
)
class OrderAcceptedV1(OrderEvent):
    pass


@event_type("haat.orders.order.packed.v1", topic=topics.ORDERS_ORDERS, description="An order was packed.")
class OrderPackedV1(OrderEvent):
    weight_grams: int | None = None
    length_cm: float | None = None
    width_cm: float | None = None
    height_cm: float | None = None


@event_type("haat.orders.order.delivered.v1", topic=topics.ORDERS_ORDERS, description="An order reached the buyer.")
class OrderDeliveredV1(OrderEvent):
    pass


@event_type(
    "haat.orders.order.return_requested.v1",
    topic=topics.ORDERS_ORDERS,
    description="The buyer asked to return an order.",
)
class OrderReturnRequestedV1(OrderEvent):
    pass


class SettlementEvent(EventData):
    subject_field: ClassVar[str] = "settlement_id"

    settlement_id: str
    clf_id: str
    shg_id: str
    period_end: str = Field(description="lines of orders delivered before this date (ISO)")
    lines: int
    gross_paise: int
    fees_paise: int
    tcs_paise: int
    tds_paise: int
    net_paise: int


@event_type(
    "haat.orders.settlement.created.v1",
    topic=topics.ORDERS_SETTLEMENTS,
    description="A settlement was drawn up for an SHG: what it is owed for a period, line by line.",
)
class SettlementCreatedV1(SettlementEvent):
    pass


@event_type(
    "haat.orders.settlement.paid.v1",
    topic=topics.ORDERS_SETTLEMENTS,
    description="A settlement was paid to the SHG's bank account (with the payment reference).",
)
class SettlementPaidV1(SettlementEvent):
    reference: str

"""The order's life, free of frameworks: which moves are legal, what a marketplace's word means for it,
how close it is to missing its promise, and the `Order` aggregate that records each move as a domain event
(what follows a move, an invoice or a settlement line, is wired to those events in the service layer)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

CREATED, ACCEPTED, PACKED, SHIPPED, DELIVERED = "created", "accepted", "packed", "shipped", "delivered"
CANCELLED, RETURN_REQUESTED, RETURNED = "cancelled", "return_requested", "returned"
OPEN_STATES = (CREATED, ACCEPTED, PACKED)  # still to be shipped: what the ship-by promise is about
STATES = (CREATED, ACCEPTED, PACKED, SHIPPED, DELIVERED, CANCELLED, RETURN_REQUESTED, RETURNED)

# action → (states it may start from, state it leads to)
ACTIONS: dict[str, tuple[frozenset[str], str]] = {
    "accept": (frozenset({CREATED}), ACCEPTED),
    "pack": (frozenset({ACCEPTED}), PACKED),
    "ship": (frozenset({PACKED}), SHIPPED),
    "deliver": (frozenset({SHIPPED}), DELIVERED),
    "cancel": (frozenset({CREATED, ACCEPTED, PACKED}), CANCELLED),
    "request_return": (frozenset({SHIPPED, DELIVERED}), RETURN_REQUESTED),
    "return": (frozenset({RETURN_REQUESTED, SHIPPED, DELIVERED}), RETURNED),
}
AT_RISK_WITHIN = timedelta(hours=4)


class IllegalTransition(Exception):
    def __init__(self, action: str, state: str) -> None:
        super().__init__(f"an order that is {state} cannot be {_past(action)}")
        self.action = action
        self.state = state


def _past(action: str) -> str:
    return {"accept": "accepted", "pack": "packed", "ship": "shipped", "deliver": "delivered",
            "cancel": "cancelled", "request_return": "returned by the buyer", "return": "returned"}[action]  # fmt: skip


def next_state(state: str, action: str) -> str:
    allowed, target = ACTIONS[action]
    if state not in allowed:
        raise IllegalTransition(action, state)
    return target


# The forward path and the action that takes each step; a marketplace report moves an order along it.
FORWARD = [(CREATED, ""), (ACCEPTED, "accept"), (PACKED, "pack"), (SHIPPED, "ship"), (DELIVERED, "deliver"),
           (RETURN_REQUESTED, "request_return"), (RETURNED, "return")]  # fmt: skip
MARKETPLACE_TARGETS = {"shipped": SHIPPED, "delivered": DELIVERED, "return_requested": RETURN_REQUESTED,
                       "returned": RETURNED}  # fmt: skip


def marketplace_moves(state: str, marketplace_status: str) -> list[str]:
    """The actions that bring an order to what the marketplace reports, in order: none if it is already
    there or further along (a marketplace's older word never takes an order back)."""
    if marketplace_status == "cancelled":
        return ["cancel"] if state in ACTIONS["cancel"][0] else []
    target = MARKETPLACE_TARGETS.get(marketplace_status)
    states = [name for name, _ in FORWARD]
    if target is None or state not in states or states.index(target) <= states.index(state):
        return []
    return [action for _, action in FORWARD[states.index(state) + 1 : states.index(target) + 1]]


def sla(ship_by: datetime | None, state: str, now: datetime) -> str:
    """on_track | at_risk (ship-by within 4 hours) | late, for orders still to be shipped."""
    if ship_by is None or state not in OPEN_STATES:
        return "on_track"
    if now > ship_by:
        return "late"
    return "at_risk" if ship_by - now <= AT_RISK_WITHIN else "on_track"


@dataclass(frozen=True)
class Line:
    sku: str
    quantity: int
    unit_price_paise: int  # including GST, as the buyer paid
    number: int = 0  # its place in the order (1, 2, …)
    title: str = ""  # as the marketplace sent it


@dataclass(frozen=True)
class Buyer:
    """Where the goods go: the state is the place of supply (CGST+SGST or IGST)."""

    state: str
    city: str
    postal_code: str


@dataclass(frozen=True)
class OrderMoved:
    """A domain event: the order went from `before` to `after` by `action`, done by `actor`."""

    order_id: str
    clf_id: str
    channel: str
    packaging_house_id: str | None
    lines: tuple[Line, ...]
    action: str
    before: str
    after: str
    actor: str
    note: str
    details: Mapping[str, Any]


class OrderAccepted(OrderMoved):
    pass


class OrderPacked(OrderMoved):
    pass


class OrderShipped(OrderMoved):
    pass


class OrderDelivered(OrderMoved):
    pass


class OrderCancelled(OrderMoved):
    pass


class OrderReturnRequested(OrderMoved):
    pass


class OrderReturned(OrderMoved):
    pass


EVENT_OF_STATE: dict[str, type[OrderMoved]] = {
    ACCEPTED: OrderAccepted, PACKED: OrderPacked, SHIPPED: OrderShipped, DELIVERED: OrderDelivered,
    CANCELLED: OrderCancelled, RETURN_REQUESTED: OrderReturnRequested, RETURNED: OrderReturned,
}  # fmt: skip
# What a move may set on the order besides its state (the packer's package, the courier's tracking).
SHIPPING_DETAILS = ("package", "carrier", "tracking_id")


class Viewer(Protocol):
    """Who asks (haat.identity.Caller), as far as seeing an order goes."""

    @property
    def role(self) -> str: ...
    @property
    def clf_id(self) -> str | None: ...
    @property
    def clf_ids(self) -> tuple[str, ...]: ...
    @property
    def packaging_house_id(self) -> str | None: ...
    @property
    def is_admin(self) -> bool: ...


@dataclass
class Order:
    """The aggregate: its state changes only through `apply`, which records the move in `events`."""

    id: str
    clf_id: str
    channel: str
    state: str
    lines: tuple[Line, ...]
    packaging_house_id: str | None = None
    package: Mapping[str, Any] | None = None
    carrier: str | None = None
    tracking_id: str | None = None
    marketplace_order_id: str = ""
    buyer: Buyer | None = None
    events: list[OrderMoved] = field(default_factory=list)

    def seen_by(self, caller: Viewer) -> bool:
        """Who may see (and, if staff, handle) the order: admins all, coordinators their CLF's, fulfilment staff
        their house's, a partner those of the CLFs it was granted. The order views filter by the same rule."""
        if caller.is_admin:
            return True
        if caller.role == "coordinator":
            return caller.clf_id is not None and caller.clf_id == self.clf_id
        if caller.role == "partner":
            return self.clf_id in caller.clf_ids
        if caller.role == "fulfilment":
            return caller.packaging_house_id is not None and caller.packaging_house_id == self.packaging_house_id
        return False

    def apply(self, action: str, actor: str, note: str = "", **details: Any) -> OrderMoved:
        """Move by `action` (IllegalTransition names the current state); the move is recorded as an event."""
        target = next_state(self.state, action)
        for name in SHIPPING_DETAILS:
            if name in details:
                setattr(self, name, details[name])
        event = EVENT_OF_STATE[target](
            order_id=self.id, clf_id=self.clf_id, channel=self.channel, packaging_house_id=self.packaging_house_id,
            lines=self.lines, action=action, before=self.state, after=target, actor=actor, note=note,
            details=dict(details),
        )  # fmt: skip
        self.state = target
        self.events.append(event)
        return event

    def follow_marketplace(self, marketplace_status: str, actor: str, note: str) -> None:
        """Take the moves that bring the order to what its marketplace reports (none if already there)."""
        for action in marketplace_moves(self.state, marketplace_status):
            self.apply(action, actor, note)

    def take_events(self) -> list[OrderMoved]:
        taken, self.events = self.events, []
        return taken

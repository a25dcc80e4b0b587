"""The order's life, free of frameworks: which moves are legal, what a marketplace's word means for it,
and how close it is to missing its promise."""

from __future__ import annotations

from datetime import datetime, timedelta

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

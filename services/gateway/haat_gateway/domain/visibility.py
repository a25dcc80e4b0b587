"""Which events a caller may see: one rule for the event stream, the event history and webhook deliveries.

Admins see every public event; a coordinator those of her CLF, fulfilment staff those of their packaging
house; a partner those of the CLFs an admin granted it, of the granted event types (all public ones when
none were named), and the notices about its own webhook endpoints. Every public event names its CLF
(`data.clf_id`); one that names none is shown to admins only, unless it is addressed to its reader.
"""

from __future__ import annotations

from typing import Any

from haat_gateway.domain.principal import Principal


def may_see(viewer: Principal, event: dict[str, Any]) -> bool:
    data = event.get("data") or {}
    if viewer.role == "admin":
        return True
    if viewer.role == "partner":
        if viewer.event_types is not None and event.get("type") not in viewer.event_types:
            return False
        return data.get("clf_id") in viewer.clf_ids or data.get("owner_key_id") == viewer.key_id
    if viewer.role == "coordinator":
        return viewer.clf_id is not None and data.get("clf_id") == viewer.clf_id
    if viewer.role == "fulfilment":
        house = viewer.packaging_house_id
        return house is not None and data.get("packaging_house_id") == house
    return False


def outside_grant(viewer: Principal, event_types: list[str]) -> list[str]:
    """The event types among `event_types` that are outside a partner's grant (to refuse a subscription)."""
    if viewer.role != "partner" or viewer.event_types is None:
        return []
    return sorted(set(event_types) - set(viewer.event_types))

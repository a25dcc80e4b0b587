"""Events the connectors service publishes (topic haat.connectors.listings), as far as others rely on them."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar, Literal

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

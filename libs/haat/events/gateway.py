"""Events the gateway publishes: notices about partners' webhook endpoints."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from haat.events import topics
from haat.events.registry import EventData, event_type


@event_type(
    "haat.gateway.webhook_endpoint.disabled.v1",
    topic=topics.GATEWAY_NOTICES,
    description="A webhook endpoint was disabled after failing for too long; re-enable it once it is fixed.",
)
class WebhookEndpointDisabledV1(EventData):
    subject_field: ClassVar[str] = "endpoint_id"

    endpoint_id: str
    url: str
    reason: str
    owner_key_id: str = Field("", description="the API key (or user:<id>) that manages the endpoint")

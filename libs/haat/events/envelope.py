"""CloudEvents 1.0 in JSON structured mode: the one envelope every Haat event travels in."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from haat.events.registry import EventData, registry

STRUCTURED_CONTENT_TYPE = "application/cloudevents+json"


class CloudEvent(BaseModel):
    # Consumers ignore unknown attributes (extensions) rather than failing on them.
    model_config = ConfigDict(extra="ignore", frozen=True)

    specversion: Literal["1.0"] = "1.0"
    id: str = Field(min_length=1)
    source: str = Field(min_length=1)
    type: str = Field(min_length=1)
    subject: str | None = None
    time: AwareDatetime
    datacontenttype: str = "application/json"
    data: dict[str, Any]

    def typed_data(self) -> EventData:
        """The payload as its registered, versioned model (raises UnknownEventType)."""
        return registry.model_for(self.type).model_validate(self.data)

    def to_bytes(self) -> bytes:
        return self.model_dump_json().encode()


def new_event(data: EventData, *, service: str, event_id: str | None = None) -> CloudEvent:
    """Wrap a payload in a fresh envelope: new UUID id, now in UTC, subject = the entity id."""
    spec = registry.spec_for(type(data))
    return CloudEvent(
        id=event_id or str(uuid.uuid4()),
        source=f"/haat/{service}",
        type=spec.name,
        subject=data.subject(),
        time=datetime.now(UTC),
        data=data.model_dump(mode="json"),
    )

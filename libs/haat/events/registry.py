"""The registry of versioned event types: name → (topic, payload model, description, JSON schema).

A breaking change to a payload is a new type with a new version suffix, registered beside the old one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict


class UnknownEventType(LookupError):
    pass


class EventData(BaseModel):
    """Base of every event payload. Unknown fields are ignored so older consumers survive additions."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    subject_field: ClassVar[str] = "id"

    def subject(self) -> str:
        return str(getattr(self, self.subject_field))


@dataclass(frozen=True)
class EventSpec:
    name: str
    topic: str
    model: type[EventData]
    description: str
    public: bool

    def json_schema(self) -> dict[str, Any]:
        return self.model.model_json_schema()


E = TypeVar("E", bound=type[EventData])


class EventRegistry:
    def __init__(self) -> None:
        self._by_name: dict[str, EventSpec] = {}
        self._by_model: dict[type[EventData], EventSpec] = {}

    def register(self, spec: EventSpec) -> None:
        if spec.name in self._by_name:
            raise ValueError(f"event type {spec.name} registered twice")
        self._by_name[spec.name] = spec
        self._by_model[spec.model] = spec

    def spec(self, name: str) -> EventSpec:
        try:
            return self._by_name[name]
        except KeyError:
            raise UnknownEventType(name) from None

    def model_for(self, name: str) -> type[EventData]:
        return self.spec(name).model

    def spec_for(self, model: type[EventData]) -> EventSpec:
        try:
            return self._by_model[model]
        except KeyError:
            raise UnknownEventType(model.__name__) from None

    def all(self) -> list[EventSpec]:
        return sorted(self._by_name.values(), key=lambda s: s.name)

    def public(self) -> list[EventSpec]:
        """The event types partners may subscribe to and the gateway shows, by name."""
        return [s for s in self.all() if s.public]

    def public_topics(self) -> list[str]:
        return sorted({s.topic for s in self._by_name.values() if s.public})


registry = EventRegistry()


def event_type(name: str, *, topic: str, description: str, public: bool = True) -> Callable[[E], E]:
    """Class decorator: register a payload model under its versioned CloudEvents type name."""

    def register(model: E) -> E:
        registry.register(EventSpec(name, topic, model, description, public))
        return model

    return register

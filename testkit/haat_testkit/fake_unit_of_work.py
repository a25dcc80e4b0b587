"""What every service's in-memory unit of work shares (cosmicpython's FakeUnitOfWork): events kept in
`emitted` instead of an outbox, callbacks run at commit, commits counted. Each service's fake adds its own
repositories by the same names as its real unit of work."""

from __future__ import annotations

from collections.abc import Callable
from typing import Self

from haat.events.envelope import CloudEvent, new_event
from haat.events.registry import EventData


class FakeUnitOfWork:
    service = "fake"

    def __init__(self) -> None:
        self.emitted: list[CloudEvent] = []
        self.on_commit: list[Callable[[], None]] = []
        self.commits = 0

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        pass

    def emit(self, data: EventData) -> CloudEvent:
        event = new_event(data, service=self.service)
        self.emitted.append(event)
        return event

    def emitted_types(self) -> list[str]:
        return [e.type for e in self.emitted]

    def commit(self) -> None:
        self.commits += 1
        callbacks, self.on_commit = self.on_commit, []
        for callback in callbacks:
            callback()

    def rollback(self) -> None:
        self.on_commit = []

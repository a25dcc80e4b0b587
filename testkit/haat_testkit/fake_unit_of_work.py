"""What every service's in-memory unit of work shares (cosmicpython's FakeUnitOfWork): events kept in
`emitted` instead of an outbox, callbacks run at commit, commits counted. Each service's fake adds its own
repositories by the same names as its real unit of work. A fake whose use cases roll back on purpose (a
preview that changes nothing) says what its database holds (`_keep`/`_restore`): a rollback then returns to
the last commit, as a transaction would."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Self

from haat.events.envelope import CloudEvent, new_event
from haat.events.registry import EventData


class FakeUnitOfWork:
    service = "fake"

    def __init__(self) -> None:
        self.emitted: list[CloudEvent] = []
        self.on_commit: list[Callable[[], None]] = []
        self.commits = 0
        self._committed: Any = None
        self._emitted_at_commit = 0

    def __enter__(self) -> Self:
        self._mark()
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
        self._mark()

    def rollback(self) -> None:
        self.on_commit = []
        if self._committed is not None:
            self._restore(self._committed)
        del self.emitted[self._emitted_at_commit :]

    def _mark(self) -> None:
        self._committed = self._keep()
        self._emitted_at_commit = len(self.emitted)

    def _keep(self) -> Any:
        """A copy of what the repositories hold, for a rollback to return to (None: this fake never rolls back
        what it holds)."""
        return None

    def _restore(self, kept: Any) -> None:
        pass

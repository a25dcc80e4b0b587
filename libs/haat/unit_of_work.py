"""Unit of work: one database transaction holding both the state change and the events it emits.

A service gives its own subclass the repositories its use cases work through (`uow.orders`, …), made in
`open_repositories` on the transaction's session; `ServiceDefinition.unit_of_work_class` names it."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from types import TracebackType
from typing import Self

from sqlalchemy import Table
from sqlalchemy.orm import Session, sessionmaker

from haat.events.envelope import CloudEvent, new_event
from haat.events.registry import EventData
from haat.messaging import outbox


class UnitOfWork:
    session: Session

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        outbox_table: Table,
        *,
        service: str,
        after_commit: Callable[[], None] | None = None,
    ) -> None:
        self._session_factory = session_factory
        self._outbox = outbox_table
        self.service = service
        self._after_commit = after_commit
        self.emitted: list[CloudEvent] = []
        self.on_commit: list[Callable[[], None]] = []  # run once this transaction has committed

    def __enter__(self) -> Self:
        self.session = self._session_factory()
        self.emitted = []
        self.on_commit = []
        self.open_repositories()
        return self

    def open_repositories(self) -> None:
        """Make this service's repositories on `self.session` (none in the kernel)."""

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        # Anything not committed explicitly is rolled back, events included.
        self.session.rollback()
        self.session.close()

    def savepoint(self) -> AbstractContextManager[object]:
        """A nested transaction: what fails inside it is undone without ending the whole unit of work."""
        return self.session.begin_nested()

    def emit(self, data: EventData) -> CloudEvent:
        """Stage an event in this transaction's outbox; it is published only if the transaction commits."""
        event = new_event(data, service=self.service)
        outbox.stage(self.session, self._outbox, event)
        self.emitted.append(event)
        return event

    def commit(self) -> None:
        self.session.commit()
        if self.emitted and self._after_commit:
            self._after_commit()  # wake the relay instead of waiting for its next poll
        callbacks, self.on_commit = self.on_commit, []
        for callback in callbacks:
            callback()

    def rollback(self) -> None:
        self.session.rollback()
        self.emitted = []
        self.on_commit = []

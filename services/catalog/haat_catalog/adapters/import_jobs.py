"""Bulk-upload jobs: the uploaded sheet, progress counts, and the row-level errors it found."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from haat_catalog.adapters.orm import import_errors, imports


class ImportJobs:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, job: dict[str, Any]) -> None:
        self.session.execute(insert(imports).values(**job))

    def get(self, import_id: str) -> Any:
        return self.session.execute(select(imports).where(imports.c.id == import_id)).one_or_none()

    def errors_of(self, import_id: str) -> list[Any]:
        query = select(import_errors).where(import_errors.c.import_id == import_id).order_by(import_errors.c.id)
        return list(self.session.execute(query))

    def next_due(self) -> str | None:
        """The oldest job still to do: to preview, queued, or running when its process stopped (it resumes)."""
        query = select(imports.c.id).where(imports.c.status.in_(("previewing", "queued", "running")))
        found: str | None = self.session.scalar(query.order_by(imports.c.created_at).limit(1))
        return found

    def start(self, import_id: str) -> Any:
        """The job, locked; a queued one is now running (a preview stays previewing until it is shown)."""
        job = self.session.execute(select(imports).where(imports.c.id == import_id).with_for_update()).one()
        if job.status == "queued":
            self.session.execute(update(imports).where(imports.c.id == import_id).values(status="running"))
        return job

    def lock(self, import_id: str) -> Any:
        return self.session.execute(select(imports).where(imports.c.id == import_id).with_for_update()).one_or_none()

    def save_preview(self, import_id: str, preview: dict[str, list[Any]]) -> None:
        """What the rows previewed so far would do (kept with each chunk, so that a preview resumes)."""
        self.session.execute(update(imports).where(imports.c.id == import_id).values(preview=preview))

    def previewed(self, import_id: str, preview: dict[str, list[Any]]) -> None:
        self.session.execute(update(imports).where(imports.c.id == import_id).values(status="previewed",
                                                                                      preview=preview))  # fmt: skip

    def confirm(self, import_id: str, change_live: bool) -> None:
        """The person chose: the rows are applied from the start, the preview's counts and errors give way."""
        self.session.execute(delete(import_errors).where(import_errors.c.import_id == import_id))
        self.session.execute(
            update(imports).where(imports.c.id == import_id).values(
                status="queued", change_live=change_live, processed_rows=0, created_rows=0, updated_rows=0,
                failed_rows=0,
            )
        )  # fmt: skip

    def discard(self, import_id: str) -> None:
        self.session.execute(
            update(imports).where(imports.c.id == import_id).values(status="discarded", finished_at=datetime.now(UTC))
        )

    def record_chunk(self, import_id: str, processed_rows: int, counts: dict[str, int],
                     errors: list[dict[str, Any]]) -> None:  # fmt: skip
        """A chunk's outcome: its row errors, and the counts added to the job's."""
        self.session.flush()  # the chunk's products go first, so that a failure shows before its progress
        if errors:
            self.session.execute(insert(import_errors), errors)
        self.session.execute(
            update(imports)
            .where(imports.c.id == import_id)
            .values(
                processed_rows=processed_rows,
                **{name: getattr(imports.c, name) + value for name, value in counts.items()},
            )
        )

    def finish(self, import_id: str) -> None:
        self.session.execute(
            update(imports).where(imports.c.id == import_id).values(status="done", finished_at=datetime.now(UTC))
        )

"""The registry's entries (LGD geography, CLFs, SHGs, members, packaging houses): read by id, added, listed."""

from __future__ import annotations

from typing import Any, Literal

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from haat_catalog.adapters.orm import clfs, geo_units, members, packaging_houses, shgs

Entry = Literal["geo_units", "clfs", "shgs", "members", "packaging_houses"]
TABLES = {"geo_units": geo_units, "clfs": clfs, "shgs": shgs, "members": members,
          "packaging_houses": packaging_houses}  # fmt: skip


class RegistryRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, entry: Entry, key: str) -> Any:
        """The entry with this id (LGD code for geography), or None."""
        table = TABLES[entry]
        primary = table.primary_key.columns.values()[0]
        return self.session.execute(select(table).where(primary == key)).one_or_none()

    def add(self, entry: Entry, row: dict[str, Any]) -> None:
        self.session.execute(insert(TABLES[entry]).values(**row))

    def update(self, entry: Entry, key: str, values: dict[str, Any]) -> None:
        if values:
            table = TABLES[entry]
            primary = table.primary_key.columns.values()[0]
            self.session.execute(update(table).where(primary == key).values(**values))

    def clfs(self, visible: set[str] | None) -> list[Any]:
        query = select(clfs).order_by(clfs.c.id)
        if visible is not None:
            query = query.where(clfs.c.id.in_(visible))
        return list(self.session.execute(query))

    def shgs_of(self, clf_id: str) -> list[Any]:
        return list(self.session.execute(select(shgs).where(shgs.c.clf_id == clf_id).order_by(shgs.c.name)))

    def members_of(self, shg_id: str) -> list[Any]:
        return list(self.session.execute(select(members).where(members.c.shg_id == shg_id).order_by(members.c.name)))

    def packaging_houses(self) -> list[Any]:
        return list(self.session.execute(select(packaging_houses).order_by(packaging_houses.c.name)))

"""Read models of the catalog: queries that answer a screen or a list directly from the tables, with no
aggregate in between (the repositories serve the use cases that change things)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from haat_catalog.adapters.orm import geo_units


def geo_units_under(session: Session, parent_code: str | None) -> list[Any]:
    """The units directly under `parent_code`, or the states; by English name."""
    query = select(geo_units).order_by(geo_units.c.name_en)
    query = (
        query.where(geo_units.c.parent_code == parent_code) if parent_code else query.where(geo_units.c.kind == "state")
    )
    return list(session.execute(query))

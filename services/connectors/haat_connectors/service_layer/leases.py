"""Which replica syncs which seller account: leases in the database, renewed while the replica lives.

An account's quota is spent by exactly one replica at a time (its client-side limiter is then the only one),
and a replica that dies loses its accounts to the others when the lease runs out. Each replica holds its
fair share (accounts ÷ live replicas, rounded up): a new replica gets accounts handed over by the others.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, insert, or_, select, update

from haat.unit_of_work import UnitOfWork
from haat_connectors.adapters.tables import seller_accounts, sync_replicas

t = seller_accounts.c


@dataclass(frozen=True)
class Leased:
    accounts: list[Any]  # the rows of every account this replica holds, surplus included
    surplus: list[str]  # accounts to hand over (a replica joined) once their calls in flight are recorded


def lease_accounts(uow: UnitOfWork, owner: str, lease_s: float) -> Leased:
    now = datetime.now(UTC)
    until = now + timedelta(seconds=lease_s)
    uow.session.execute(
        update(seller_accounts).where(t.lease_owner == owner, t.enabled.is_(True)).values(lease_until=until)
    )
    r = sync_replicas.c
    if uow.session.execute(update(sync_replicas).where(r.owner == owner).values(seen_at=now)).rowcount == 0:  # type: ignore[attr-defined]
        uow.session.execute(insert(sync_replicas).values(owner=owner, seen_at=now))
    uow.session.execute(delete(sync_replicas).where(r.seen_at < now - timedelta(seconds=lease_s)))
    enabled = uow.session.scalar(select(func.count()).where(t.enabled.is_(True))) or 0
    owners = set(uow.session.scalars(select(r.owner))) | {owner}
    mine = uow.session.scalar(select(func.count()).where(t.lease_owner == owner, t.lease_until > now)) or 0
    fair = math.ceil(enabled / len(owners))
    surplus: list[str] = []
    if mine > fair:
        # Not released here: the worker first lets the account's calls in flight finish and records their
        # answers, so that the next owner neither repeats them nor shares the quota with them.
        query = select(t.id).where(t.lease_owner == owner).order_by(t.id.desc()).limit(mine - fair)
        surplus = list(uow.session.scalars(query))
    share = fair - mine
    if share > 0:
        free = (
            select(t.id)
            .where(t.enabled.is_(True), or_(t.lease_owner.is_(None), t.lease_until.is_(None), t.lease_until < now))
            .order_by(t.id)
            .limit(share)
        )
        for account_id in list(uow.session.scalars(free)):
            # The WHERE is checked again under the row lock: two replicas never take the same account.
            uow.session.execute(
                update(seller_accounts)
                .where(t.id == account_id, or_(t.lease_owner.is_(None), t.lease_until.is_(None), t.lease_until < now))
                .values(lease_owner=owner, lease_until=until)
            )
    uow.commit()
    held = list(uow.session.execute(select(seller_accounts).where(t.lease_owner == owner, t.enabled.is_(True))))
    return Leased(held, surplus)


def release_account(uow: UnitOfWork, owner: str, account_id: str) -> None:
    uow.session.execute(
        update(seller_accounts)
        .where(t.id == account_id, t.lease_owner == owner)
        .values(lease_owner=None, lease_until=None)
    )
    uow.commit()


def release_accounts(uow: UnitOfWork, owner: str) -> None:
    uow.session.execute(delete(sync_replicas).where(sync_replicas.c.owner == owner))
    uow.session.execute(
        update(seller_accounts).where(t.lease_owner == owner).values(lease_owner=None, lease_until=None)
    )
    uow.commit()


def save_cursor(uow: UnitOfWork, account_id: str, cursor: datetime) -> None:
    uow.session.execute(update(seller_accounts).where(t.id == account_id).values(order_cursor=cursor))
    uow.commit()

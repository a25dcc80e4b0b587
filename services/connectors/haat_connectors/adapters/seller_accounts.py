"""Seller accounts (one per CLF and channel, credentials sealed) and which sync replica holds each: leases
in the database, renewed while the replica lives.

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
from sqlalchemy.orm import Session

from haat_connectors.adapters.tables import seller_accounts, sync_replicas

t, r = seller_accounts.c, sync_replicas.c


@dataclass(frozen=True)
class Leased:
    accounts: list[Any]  # the rows of every account this replica holds, surplus included
    surplus: list[str]  # accounts to hand over (a replica joined) once their calls in flight are recorded


class SellerAccounts:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, account_id: str) -> Any:
        return self.session.execute(select(seller_accounts).where(t.id == account_id)).one_or_none()

    def of_clf(self, clf_id: str, channel: str) -> str | None:
        found: str | None = self.session.scalar(select(t.id).where(t.clf_id == clf_id, t.channel == channel))
        return found

    def by_seller(self, channel: str, seller_id: str) -> Any:
        return self.session.execute(
            select(seller_accounts).where(t.channel == channel, t.seller_id == seller_id)
        ).first()

    def add(self, row: dict[str, Any]) -> None:
        self.session.execute(insert(seller_accounts).values(row))

    def change(self, account_id: str, values: dict[str, Any]) -> None:
        self.session.execute(update(seller_accounts).where(t.id == account_id).values(**values))

    def listed(self, visible: set[str] | None) -> list[Any]:
        query = select(seller_accounts).order_by(t.clf_id, t.channel)
        if visible is not None:
            query = query.where(t.clf_id.in_(visible))
        return list(self.session.execute(query))

    def sealed_credentials(self) -> list[tuple[str, Any]]:
        return [(row.id, row.credentials) for row in self.session.execute(select(t.id, t.credentials))]

    def save_cursor(self, account_id: str, cursor: datetime) -> None:
        self.change(account_id, {"order_cursor": cursor})

    # --- leases -----------------------------------------------------------------------------------------

    def lease(self, owner: str, lease_s: float) -> list[str]:
        """Renew this replica's leases, take free accounts up to its fair share; the surplus it holds."""
        now = datetime.now(UTC)
        until = now + timedelta(seconds=lease_s)
        self.session.execute(
            update(seller_accounts).where(t.lease_owner == owner, t.enabled.is_(True)).values(lease_until=until)
        )
        if self.session.execute(update(sync_replicas).where(r.owner == owner).values(seen_at=now)).rowcount == 0:  # type: ignore[attr-defined]
            self.session.execute(insert(sync_replicas).values(owner=owner, seen_at=now))
        self.session.execute(delete(sync_replicas).where(r.seen_at < now - timedelta(seconds=lease_s)))
        enabled = self.session.scalar(select(func.count()).where(t.enabled.is_(True))) or 0
        owners = set(self.session.scalars(select(r.owner))) | {owner}
        mine = self.session.scalar(select(func.count()).where(t.lease_owner == owner, t.lease_until > now)) or 0
        fair = math.ceil(enabled / len(owners))
        surplus: list[str] = []
        if mine > fair:
            # Not released here: the worker first lets the account's calls in flight finish and records their
            # answers, so that the next owner neither repeats them nor shares the quota with them.
            query = select(t.id).where(t.lease_owner == owner).order_by(t.id.desc()).limit(mine - fair)
            surplus = list(self.session.scalars(query))
        share = fair - mine
        if share > 0:
            lapsed = or_(t.lease_owner.is_(None), t.lease_until.is_(None), t.lease_until < now)
            free = select(t.id).where(t.enabled.is_(True), lapsed).order_by(t.id).limit(share)
            for account_id in list(self.session.scalars(free)):
                # The WHERE is checked again under the row lock: two replicas never take the same account.
                self.session.execute(
                    update(seller_accounts)
                    .where(t.id == account_id, lapsed)
                    .values(lease_owner=owner, lease_until=until)
                )
        return surplus

    def held_by(self, owner: str) -> list[Any]:
        return list(self.session.execute(select(seller_accounts).where(t.lease_owner == owner, t.enabled.is_(True))))

    def release(self, owner: str, account_id: str) -> None:
        self.session.execute(
            update(seller_accounts)
            .where(t.id == account_id, t.lease_owner == owner)
            .values(lease_owner=None, lease_until=None)
        )

    def release_all(self, owner: str) -> None:
        self.session.execute(delete(sync_replicas).where(r.owner == owner))
        self.session.execute(
            update(seller_accounts).where(t.lease_owner == owner).values(lease_owner=None, lease_until=None)
        )

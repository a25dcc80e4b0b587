"""Which replica syncs which seller account (adapters.seller_accounts keeps the leases): each call is its
own transaction, so that a lease is visible to the other replicas at once."""

from __future__ import annotations

from datetime import datetime

from haat_connectors.adapters.seller_accounts import Leased
from haat_connectors.adapters.unit_of_work import ConnectorsUnitOfWork


def lease_accounts(uow: ConnectorsUnitOfWork, owner: str, lease_s: float) -> Leased:
    surplus = uow.accounts.lease(owner, lease_s)
    uow.commit()
    return Leased(uow.accounts.held_by(owner), surplus)


def release_account(uow: ConnectorsUnitOfWork, owner: str, account_id: str) -> None:
    uow.accounts.release(owner, account_id)
    uow.commit()


def release_accounts(uow: ConnectorsUnitOfWork, owner: str) -> None:
    uow.accounts.release_all(owner)
    uow.commit()


def save_cursor(uow: ConnectorsUnitOfWork, account_id: str, cursor: datetime) -> None:
    uow.accounts.save_cursor(account_id, cursor)
    uow.commit()

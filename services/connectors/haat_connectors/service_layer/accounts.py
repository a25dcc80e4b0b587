"""Seller accounts: one per CLF and channel, credentials sealed at rest and never shown again."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, insert, select, update

from haat.errors import Conflict, Invalid, NotFound
from haat.identity import Caller
from haat.secret_box import SecretBox
from haat.unit_of_work import UnitOfWork
from haat_connectors.adapters.marketplaces.base import Account
from haat_connectors.adapters.marketplaces.channels import CREDENTIAL_FIELDS
from haat_connectors.adapters.tables import listings, products, seller_accounts
from haat_connectors.service_layer.catalog_feed import new_listing

PUBLIC_FIELDS = ("id", "clf_id", "channel", "seller_id", "location_id", "enabled", "created_at", "order_cursor")


def public(row: Any) -> dict[str, Any]:
    return {name: getattr(row, name) for name in PUBLIC_FIELDS}


def _check_credentials(channel: str, credentials: dict[str, str]) -> None:
    missing = [f for f in CREDENTIAL_FIELDS[channel] if not credentials.get(f)]
    if missing:
        raise Invalid("invalid-credentials", f"{channel} credentials need: {', '.join(missing)}", missing=missing)


def create_account(
    uow: UnitOfWork, box: SecretBox, *, clf_id: str, channel: str, seller_id: str,
    credentials: dict[str, str], location_id: str | None = None, account_id: str | None = None,
) -> dict[str, Any]:  # fmt: skip
    if channel not in CREDENTIAL_FIELDS:
        raise Invalid("unknown-channel", f"channel must be one of {', '.join(CREDENTIAL_FIELDS)}")
    _check_credentials(channel, credentials)
    taken = select(seller_accounts.c.id).where(seller_accounts.c.clf_id == clf_id, seller_accounts.c.channel == channel)
    if uow.session.scalar(taken):
        raise Conflict("conflict", f"{clf_id} already has a {channel} seller account")
    new_id = account_id or f"sa-{uuid.uuid4().hex[:12]}"
    row = {
        "id": new_id, "clf_id": clf_id, "channel": channel,
        "seller_id": seller_id, "location_id": location_id, "credentials": box.seal(credentials),
        "enabled": True, "created_at": datetime.now(UTC),
    }  # fmt: skip
    uow.session.execute(insert(seller_accounts).values(row))
    # Everything the CLF already sells goes to the new channel too.
    listed = uow.session.scalars(select(products.c.sku).where(products.c.clf_id == clf_id, products.c.listed.is_(True)))
    for sku in listed:
        uow.session.execute(insert(listings).values(new_listing(new_id, clf_id, sku, channel)))
    uow.commit()
    return public(get(uow, new_id))


def get(uow: UnitOfWork, account_id: str, caller: Caller | None = None) -> Any:
    row = uow.session.execute(select(seller_accounts).where(seller_accounts.c.id == account_id)).one_or_none()
    if row is None or (caller is not None and not caller.sees_clf(row.clf_id)):
        raise NotFound("seller account", account_id)
    return row


def list_accounts(uow: UnitOfWork, caller: Caller) -> list[dict[str, Any]]:
    query = select(seller_accounts).order_by(seller_accounts.c.clf_id, seller_accounts.c.channel)
    visible = caller.visible_clfs()
    if visible is not None:
        query = query.where(seller_accounts.c.clf_id.in_(visible))
    return [public(r) for r in uow.session.execute(query)]


def change_account(
    uow: UnitOfWork, box: SecretBox, account_id: str, *, enabled: bool | None, credentials: dict[str, str] | None
) -> dict[str, Any]:
    row = get(uow, account_id)
    values: dict[str, Any] = {}
    if enabled is not None:
        values["enabled"] = enabled
    if credentials is not None:
        _check_credentials(row.channel, credentials)
        values["credentials"] = box.seal(credentials)
        # The owning replica sees the new seal at its next lease round and restarts the account's sync.
    if values:
        uow.session.execute(update(seller_accounts).where(seller_accounts.c.id == account_id).values(**values))
        uow.commit()
    return public(get(uow, account_id))


def reseal_all(uow: UnitOfWork, box: SecretBox) -> int:
    """Re-encrypt every stored credential with the newest key (after HAAT_ENCRYPTION_KEYS got a new first key)."""
    rows = uow.session.execute(select(seller_accounts.c.id, seller_accounts.c.credentials)).all()
    for account_id, sealed in rows:
        uow.session.execute(
            update(seller_accounts).where(seller_accounts.c.id == account_id).values(credentials=box.rotate(sealed))
        )
    uow.commit()
    return len(rows)


def opened(row: Any, box: SecretBox) -> Account:
    return Account(row.id, row.clf_id, row.channel, row.seller_id, row.location_id, box.open(row.credentials))


def find_by_seller(uow: UnitOfWork, channel: str, seller_id: str) -> Any:
    query = select(seller_accounts).where(
        seller_accounts.c.channel == channel, seller_accounts.c.seller_id == seller_id
    )
    return uow.session.execute(query).first()


def resync(uow: UnitOfWork, account_id: str) -> dict[str, Any]:
    """Send every listing and stock level of the account again (onboarding, or after the marketplace lost
    them); `sync_progress` shows how far it got."""
    get(uow, account_id)
    uow.session.execute(
        update(listings)
        .where(listings.c.account_id == account_id)
        .values(pushed_version=0, content_dirty=True, attempts=0, next_attempt_at=datetime.now(UTC))
    )
    uow.commit()
    return sync_progress(uow, account_id)


def sync_progress(uow: UnitOfWork, account_id: str) -> dict[str, Any]:
    """How many of the account's listings the marketplace has as they should be, and how many wait."""
    c = listings.c
    dirty = c.content_dirty.is_(True) | c.stock_dirty.is_(True)
    counts = uow.session.execute(
        select(
            func.count().label("total"),
            func.count().filter(~dirty).label("in_sync"),
            func.count().filter(dirty).label("waiting"),
            func.count().filter(c.last_error.is_not(None)).label("failing"),
            func.count().filter(c.status == "rejected").label("rejected"),
        ).where(c.account_id == account_id)
    ).one()
    total = counts.total or 0
    return {**counts._asdict(), "percent": round(100 * counts.in_sync / total, 1) if total else 100.0}

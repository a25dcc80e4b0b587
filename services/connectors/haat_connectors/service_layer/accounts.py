"""Seller accounts: one per CLF and channel, credentials sealed at rest and never shown again."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from haat.errors import Conflict, Invalid, NotFound
from haat.identity import Caller
from haat.secret_box import SecretBox
from haat_connectors.adapters.marketplaces.base import Account
from haat_connectors.adapters.marketplaces.channels import CREDENTIAL_FIELDS
from haat_connectors.adapters.unit_of_work import ConnectorsUnitOfWork

PUBLIC_FIELDS = ("id", "clf_id", "channel", "seller_id", "location_id", "enabled", "created_at", "order_cursor")


def public(row: Any) -> dict[str, Any]:
    return {name: getattr(row, name) for name in PUBLIC_FIELDS}


def _check_credentials(channel: str, credentials: dict[str, str]) -> None:
    missing = [f for f in CREDENTIAL_FIELDS[channel] if not credentials.get(f)]
    if missing:
        raise Invalid("invalid-credentials", f"{channel} credentials need: {', '.join(missing)}", missing=missing)


def create_account(
    uow: ConnectorsUnitOfWork, box: SecretBox, *, clf_id: str, channel: str, seller_id: str,
    credentials: dict[str, str], location_id: str | None = None, account_id: str | None = None,
) -> dict[str, Any]:  # fmt: skip
    if channel not in CREDENTIAL_FIELDS:
        raise Invalid("unknown-channel", f"channel must be one of {', '.join(CREDENTIAL_FIELDS)}")
    _check_credentials(channel, credentials)
    if uow.accounts.of_clf(clf_id, channel):
        raise Conflict("conflict", f"{clf_id} already has a {channel} seller account")
    new_id = account_id or f"sa-{uuid.uuid4().hex[:12]}"
    row = {
        "id": new_id, "clf_id": clf_id, "channel": channel,
        "seller_id": seller_id, "location_id": location_id, "credentials": box.seal(credentials),
        "enabled": True, "created_at": datetime.now(UTC),
    }  # fmt: skip
    uow.accounts.add(row)
    # Everything the CLF already sells goes to the new channel too.
    for sku in uow.products.listed_skus(clf_id):
        uow.listings.add(new_id, clf_id, sku, channel)
    uow.commit()
    return public(get(uow, new_id))


def get(uow: ConnectorsUnitOfWork, account_id: str, caller: Caller | None = None) -> Any:
    row = uow.accounts.get(account_id)
    if row is None or (caller is not None and not caller.sees_clf(row.clf_id)):
        raise NotFound("seller account", account_id)
    return row


def list_accounts(uow: ConnectorsUnitOfWork, caller: Caller) -> list[dict[str, Any]]:
    return [public(r) for r in uow.accounts.listed(caller.visible_clfs())]


def change_account(
    uow: ConnectorsUnitOfWork,
    box: SecretBox,
    account_id: str,
    *,
    enabled: bool | None,
    credentials: dict[str, str] | None,
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
        uow.accounts.change(account_id, values)
        uow.commit()
    return public(get(uow, account_id))


def reseal_all(uow: ConnectorsUnitOfWork, box: SecretBox) -> int:
    """Re-encrypt every stored credential with the newest key (after HAAT_ENCRYPTION_KEYS got a new first key)."""
    rows = uow.accounts.sealed_credentials()
    for account_id, sealed in rows:
        uow.accounts.change(account_id, {"credentials": box.rotate(sealed)})
    uow.commit()
    return len(rows)


def opened(row: Any, box: SecretBox) -> Account:
    return Account(row.id, row.clf_id, row.channel, row.seller_id, row.location_id, box.open(row.credentials))


def find_by_seller(uow: ConnectorsUnitOfWork, channel: str, seller_id: str) -> Any:
    return uow.accounts.by_seller(channel, seller_id)


def resync(uow: ConnectorsUnitOfWork, account_id: str) -> dict[str, Any]:
    """Send every listing and stock level of the account again (onboarding, or after the marketplace lost
    them); `sync_progress` shows how far it got."""
    get(uow, account_id)
    uow.listings.resend_all(account_id)
    uow.commit()
    return sync_progress(uow, account_id)


def sync_progress(uow: ConnectorsUnitOfWork, account_id: str) -> dict[str, Any]:
    """How many of the account's listings the marketplace has as they should be, and how many wait."""
    counts = uow.listings.progress(account_id)
    total = counts["total"] or 0
    return {**counts, "percent": round(100 * counts["in_sync"] / total, 1) if total else 100.0}

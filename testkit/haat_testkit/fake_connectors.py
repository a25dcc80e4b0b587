"""The connectors' order and catalog-feed repositories in memory: order intake, stock holds and listing
dirtiness run without PostgreSQL, a broker or a marketplace (the pushes themselves, and the quota-bound
listing sync, are tested against the sandboxes)."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

from haat.backoff import Backoff, after_failure
from haat_testkit.fake_unit_of_work import FakeUnitOfWork


class FakeMarketplaceOrders:
    def __init__(self) -> None:
        self.rows: dict[str, dict[str, Any]] = {}

    def locked(self, key: str) -> Any:
        return SimpleNamespace(**self.rows[key]) if key in self.rows else None

    def exists(self, key: str) -> bool:
        return key in self.rows

    def add(self, row: dict[str, Any]) -> bool:
        if row["order_key"] in self.rows:
            return False
        self.rows[row["order_key"]] = dict(row)
        return True

    def change(self, key: str, values: dict[str, Any]) -> None:
        self.rows[key].update(values)

    def get(self, key: str) -> Any:
        return self.locked(key)


class FakeStockHolds:
    def __init__(self) -> None:
        self.held: dict[tuple[str, str], tuple[str, int]] = {}  # (order key, sku) → (clf, quantity)

    def held_for(self, order_key: str) -> bool:
        return any(key == order_key for key, _ in self.held)

    def add(self, order_key: str, clf_id: str, quantities: dict[str, int]) -> bool:
        if self.held_for(order_key):
            return False
        for sku, quantity in quantities.items():
            self.held[(order_key, sku)] = (clf_id, quantity)
        return True

    def release(self, order_key: str) -> list[str]:
        skus = [sku for key, sku in self.held if key == order_key]
        for sku in skus:
            del self.held[(order_key, sku)]
        return skus

    def quantity(self, clf_id: str, sku: str) -> int:
        return sum(q for (_, s), (c, q) in self.held.items() if (c, s) == (clf_id, sku))


class FakeOrderFetches:
    def __init__(self) -> None:
        self.queued: dict[tuple[str, str], dict[str, Any]] = {}

    def request(self, account_id: str, fetch_id: str) -> None:
        now = datetime.now(UTC)
        entry = self.queued.setdefault((account_id, fetch_id), {"requested_at": now, "attempts": 0})
        entry.update(attempts=0, next_attempt_at=now)

    def due(self, account_id: str, limit: int) -> list[str]:
        now = datetime.now(UTC)
        due = [
            (v["requested_at"], f)
            for (a, f), v in self.queued.items()
            if a == account_id and v["next_attempt_at"] <= now
        ]
        return [f for _, f in sorted(due)[:limit]]

    def done(self, account_id: str, fetch_id: str, requested_before: datetime) -> None:
        entry = self.queued.get((account_id, fetch_id))
        if entry and entry["next_attempt_at"] <= requested_before:
            del self.queued[(account_id, fetch_id)]

    def attempts(self, account_id: str, fetch_id: str) -> int:
        return int(self.queued.get((account_id, fetch_id), {}).get("attempts", 0))

    def failed(self, account_id: str, fetch_id: str, backoff: Backoff) -> None:
        entry = self.queued[(account_id, fetch_id)]
        entry.update(after_failure(backoff, entry["attempts"], datetime.now(UTC)))


class FakeWantedProducts:
    def __init__(self) -> None:
        self.rows: dict[tuple[str, str], dict[str, Any]] = {}

    def set_available(self, clf_id: str, sku: str, available: int) -> None:
        self.rows.setdefault((clf_id, sku), {"snapshot": None, "listed": False, "version": 0})["available"] = available

    def store(self, clf_id: str, sku: str, snapshot: dict[str, Any], *, listed: bool) -> None:
        row = self.rows.setdefault((clf_id, sku), {"version": 0, "available": None})
        row.update(snapshot=snapshot, listed=listed, version=row["version"] + 1)

    def listed_skus(self, clf_id: str) -> list[str]:
        return sorted(s for (c, s), row in self.rows.items() if c == clf_id and row["listed"])


class FakeListings:
    def __init__(self, accounts: dict[str, tuple[str, str]]) -> None:
        self.accounts = accounts  # account id → (clf, channel), the enabled seller accounts
        self.rows: dict[tuple[str, str], dict[str, Any]] = {}

    def add(self, account_id: str, clf_id: str, sku: str, channel: str) -> None:
        self.rows[(account_id, sku)] = {"clf_id": clf_id, "channel": channel, "content_dirty": True,
                                        "stock_dirty": False, "status": "pending"}  # fmt: skip

    def ensure_on_every_account(self, clf_id: str, sku: str) -> None:
        for account_id, (clf, channel) in self.accounts.items():
            if clf == clf_id and (account_id, sku) not in self.rows:
                self.add(account_id, clf_id, sku, channel)

    def mark_dirty(self, clf_id: str, skus: list[str], *, content: bool) -> None:
        for (_, sku), row in self.rows.items():
            if row["clf_id"] == clf_id and sku in skus:
                row["content_dirty" if content else "stock_dirty"] = True

    def dirty(self, kind: str) -> set[tuple[str, str]]:
        return {key for key, row in self.rows.items() if row[f"{kind}_dirty"]}


class FakeConnectorsUnitOfWork(FakeUnitOfWork):
    """Stands where `ConnectorsUnitOfWork` stands for order intake and the catalog feed."""

    service = "connectors"

    def __init__(self, accounts: dict[str, tuple[str, str]]) -> None:
        super().__init__()
        self.orders = FakeMarketplaceOrders()
        self.holds = FakeStockHolds()
        self.fetches = FakeOrderFetches()
        self.products = FakeWantedProducts()
        self.listings = FakeListings(accounts)

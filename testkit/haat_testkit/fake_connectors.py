"""The connectors' repositories in memory: seller accounts, order intake, stock holds, listing dirtiness and
standing, and order tasks run without PostgreSQL, a broker or a marketplace (the pushes themselves, and the
quota-bound listing sync, are tested against the sandboxes)."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

from haat.backoff import Backoff, after_failure
from haat.events.catalog import ProductPublishedV1
from haat.events.envelope import new_event
from haat_connectors.domain.listing_sync import ListingStanding
from haat_connectors.domain.marketplace_order import Address, FetchedOrder, OrderLine, order_key
from haat_connectors.service_layer import catalog_feed
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


class FakeSellerAccounts:
    """Seller accounts by id; `enabled` gives the (clf, channel) of the enabled ones, as listings need them."""

    def __init__(self, accounts: dict[str, tuple[str, str]]) -> None:
        self.rows: dict[str, dict[str, Any]] = {}
        for account_id, (clf_id, channel) in accounts.items():
            seller = f"seller-{account_id}"
            self.add({"id": account_id, "clf_id": clf_id, "channel": channel, "seller_id": seller, "location_id": None,
                      "credentials": "", "enabled": True, "created_at": datetime.now(UTC)})  # fmt: skip

    def enabled(self) -> dict[str, tuple[str, str]]:
        return {i: (r["clf_id"], r["channel"]) for i, r in self.rows.items() if r["enabled"]}

    def get(self, account_id: str) -> Any:
        return SimpleNamespace(**self.rows[account_id]) if account_id in self.rows else None

    def of_clf(self, clf_id: str, channel: str) -> str | None:
        return next((i for i, r in self.rows.items() if (r["clf_id"], r["channel"]) == (clf_id, channel)), None)

    def by_seller(self, channel: str, seller_id: str) -> Any:
        found = next((i for i, r in self.rows.items() if (r["channel"], r["seller_id"]) == (channel, seller_id)), None)
        return self.get(found) if found else None

    def add(self, row: dict[str, Any]) -> None:
        self.rows[row["id"]] = {"order_cursor": None, **row}

    def change(self, account_id: str, values: dict[str, Any]) -> None:
        self.rows[account_id].update(values)

    def listed(self, visible: set[str] | None) -> list[Any]:
        chosen = [r for r in self.rows.values() if visible is None or r["clf_id"] in visible]
        return [SimpleNamespace(**r) for r in sorted(chosen, key=lambda r: (r["clf_id"], r["channel"]))]

    def sealed_credentials(self) -> list[tuple[str, Any]]:
        return [(i, r["credentials"]) for i, r in self.rows.items()]


class FakeListings:
    def __init__(self, accounts: FakeSellerAccounts) -> None:
        self.accounts = accounts
        self.rows: dict[tuple[str, str], dict[str, Any]] = {}

    def add(self, account_id: str, clf_id: str, sku: str, channel: str) -> None:
        self.rows[(account_id, sku)] = {
            "account_id": account_id, "sku": sku, "clf_id": clf_id, "channel": channel, "pushed_version": 0,
            "content_dirty": True, "stock_dirty": False, "status": "pending", "issues": [],
            "status_at": datetime.now(UTC), "verify_at": None, "last_error": None,
        }  # fmt: skip

    def ensure_on_every_account(self, clf_id: str, sku: str) -> None:
        for account_id, (clf, channel) in self.accounts.enabled().items():
            if clf == clf_id and (account_id, sku) not in self.rows:
                self.add(account_id, clf_id, sku, channel)

    def change(self, account_id: str, sku: str, values: dict[str, Any]) -> None:
        self.rows[(account_id, sku)].update(values)

    def standing(self, account_id: str, sku: str) -> ListingStanding | None:
        row = self.rows.get((account_id, sku))
        if row is None:
            return None
        return ListingStanding(account_id, row["clf_id"], sku, row["channel"], row["status"], list(row["issues"]),
                               row["status_at"], row["verify_at"])  # fmt: skip

    def save_standing(self, standing: ListingStanding) -> None:
        self.change(standing.account_id, standing.sku, {"status": standing.status, "issues": standing.issues,
                                                        "status_at": standing.status_at,
                                                        "verify_at": standing.verify_at})  # fmt: skip

    def due_for_verification(self, account_id: str, now: datetime, limit: int) -> list[str]:
        due = [(r["verify_at"], s) for (a, s), r in self.rows.items() if a == account_id and r["verify_at"]
               and r["verify_at"] <= now]  # fmt: skip
        return [sku for _, sku in sorted(due)[:limit]]

    def resend_all(self, account_id: str) -> None:
        for (a, _), row in self.rows.items():
            if a == account_id:
                row.update(pushed_version=0, content_dirty=True)

    def progress(self, account_id: str) -> dict[str, Any]:
        mine = [r for (a, _), r in self.rows.items() if a == account_id]
        dirty = [r for r in mine if r["content_dirty"] or r["stock_dirty"]]
        return {"total": len(mine), "waiting": len(dirty), "failing": sum(1 for r in mine if r["last_error"]),
                "in_sync": sum(1 for r in mine if r not in dirty and r["status"] != "rejected"),
                "rejected": sum(1 for r in mine if r["status"] == "rejected")}  # fmt: skip

    def mark_dirty(self, clf_id: str, skus: list[str], *, content: bool) -> None:
        for (_, sku), row in self.rows.items():
            if row["clf_id"] == clf_id and sku in skus:
                row["content_dirty" if content else "stock_dirty"] = True

    def dirty(self, kind: str) -> set[tuple[str, str]]:
        return {key for key, row in self.rows.items() if row[f"{kind}_dirty"]}


class FakeMarketplaceTasks:
    """What Haat owes a marketplace about its orders: a task per order and kind, due until done."""

    def __init__(self, orders: FakeMarketplaceOrders) -> None:
        self.rows: dict[str, dict[str, Any]] = {}
        self.orders = orders

    def exists(self, order_key: str, kind: str) -> bool:
        return any((r["order_key"], r["kind"]) == (order_key, kind) for r in self.rows.values())

    def add(self, row: dict[str, Any]) -> None:
        self.rows[row["id"]] = {"done_at": None, "last_error": None, **row}

    def due(self, account_id: str, now: datetime, limit: int) -> list[Any]:
        due = [r for r in self.rows.values() if r["account_id"] == account_id and r["done_at"] is None
               and r["next_attempt_at"] <= now]  # fmt: skip
        chosen = sorted(due, key=lambda r: r["next_attempt_at"])[:limit]
        return [SimpleNamespace(**r, snapshot=self.orders.rows[r["order_key"]].get("snapshot")) for r in chosen]

    def change(self, task_id: str, values: dict[str, Any]) -> None:
        self.rows[task_id].update(values)


class FakeConnectorsUnitOfWork(FakeUnitOfWork):
    """Stands where `ConnectorsUnitOfWork` stands: seller accounts (`accounts`: id → (clf, channel), enabled),
    order intake, the catalog feed, listings' standing and order tasks."""

    service = "connectors"

    def __init__(self, accounts: dict[str, tuple[str, str]]) -> None:
        super().__init__()
        self.accounts = FakeSellerAccounts(accounts)
        self.orders = FakeMarketplaceOrders()
        self.holds = FakeStockHolds()
        self.fetches = FakeOrderFetches()
        self.products = FakeWantedProducts()
        self.listings = FakeListings(self.accounts)
        self.tasks = FakeMarketplaceTasks(self.orders)


# --- what the fast tests start from: Kanti's accounts, her mango pickle listed, an Amazon order of it ---
ACCOUNTS = {"sa-amazon": ("clf-kanti", "amazon"), "sa-flipkart": ("clf-kanti", "flipkart"),
            "sa-other": ("clf-other", "amazon")}  # fmt: skip
NOW = datetime.now(UTC)


def fetched(status: str = "open", at: datetime = NOW, quantity: int = 2) -> FetchedOrder:
    return FetchedOrder(
        order_key=order_key("amazon", "408-1"), channel="amazon", marketplace_order_id="408-1",
        seller_account_id="sa-amazon", clf_id="clf-kanti", status=status, marketplace_status=status,  # type: ignore[arg-type]
        purchased_at=NOW, marketplace_updated_at=at, shipping_address=Address("Bihar"),
        items=[OrderLine("AAM-ACHAR", quantity, 22400, "1-1")],
    )  # fmt: skip


def listed() -> FakeConnectorsUnitOfWork:
    uow = FakeConnectorsUnitOfWork(ACCOUNTS)
    product = ProductPublishedV1(sku="AAM-ACHAR", clf_id="clf-kanti", title_en="Mango pickle", hsn_code="2001",
                                 gst_rate_bp=1200, mrp_paise=25000, price_paise=22400, status="published")  # fmt: skip
    as_real: Any = uow  # stands where the real unit of work stands
    catalog_feed.on_product_listed(as_real, new_event(product, service="catalog"))
    for row in uow.listings.rows.values():
        row["content_dirty"] = False  # pushed
    return uow

"""The catalog's unit of work in memory (cosmicpython's fake unit of work): its use cases and event handlers
run against these repositories in milliseconds, without PostgreSQL or a broker. Each fake keeps the promise
of its SQL twin that the use cases rely on (a stock level made at zero on first use, an older listing report
changing nothing, an entry found by its id)."""

from __future__ import annotations

import copy
from collections import namedtuple
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from haat_catalog.domain.product import Product
from haat_catalog.domain.stock import Movement, StockLevel
from haat_testkit.fake_unit_of_work import FakeUnitOfWork

AppliedRequest = namedtuple("AppliedRequest", "clf_id sku packaging_house_id kind on_hand_delta reason")


class FakeProducts:
    def __init__(self) -> None:
        self.stored: dict[tuple[str, str], Product] = {}

    def add(self, product: Product) -> None:
        self.stored[(product.clf_id, product.sku)] = product

    def get(self, clf_id: str, sku: str, *, for_update: bool = False) -> Product | None:
        return self.stored.get((clf_id, sku))  # the session's identity map: the same object each time

    def get_many(self, clf_id: str, skus: list[str], *, for_update: bool = False) -> dict[str, Product]:
        return {sku: self.stored[(clf_id, sku)] for sku in skus if (clf_id, sku) in self.stored}

    def clfs_with_sku(self, sku: str, visible_clfs: set[str] | None) -> list[str]:
        return sorted(clf for clf, s in self.stored if s == sku and (visible_clfs is None or clf in visible_clfs))


class FakeStock:
    def __init__(self) -> None:
        self.levels_held: dict[tuple[str, str, str], tuple[int, int]] = {}
        self.movements: list[dict[str, Any]] = []

    def level(self, clf_id: str, sku: str, packaging_house_id: str) -> StockLevel:
        on_hand, reserved = self.levels_held.setdefault((clf_id, sku, packaging_house_id), (0, 0))
        return StockLevel(clf_id, sku, packaging_house_id, on_hand=on_hand, reserved=reserved)

    def levels(self, clf_id: str, sku: str, *, for_update: bool = False) -> list[StockLevel]:
        return [self.level(c, s, h) for (c, s, h) in sorted(self.levels_held) if (c, s) == (clf_id, sku)]

    def applied_request(self, actor: str, request_key: str) -> Any:
        for m in self.movements:
            if (m["actor"], m["request_key"]) == (actor, request_key):
                return AppliedRequest(m["clf_id"], m["sku"], m["packaging_house_id"], m["kind"], m["on_hand_delta"],
                                      m["reason"])  # fmt: skip
        return None

    def save(self, level: StockLevel, movement: Movement, *, actor: str, order_id: str | None = None,
             request_key: str | None = None) -> None:  # fmt: skip
        self.levels_held[(level.clf_id, level.sku, level.packaging_house_id)] = (level.on_hand, level.reserved)
        self.movements.append({
            "clf_id": level.clf_id, "sku": level.sku, "packaging_house_id": level.packaging_house_id,
            "kind": movement.kind, "on_hand_delta": movement.on_hand_delta,
            "reserved_delta": movement.reserved_delta, "reason": movement.reason, "order_id": order_id,
            "actor": actor, "request_key": request_key,
        })  # fmt: skip

    def available_total(self, clf_id: str, sku: str) -> int:
        return sum(on - held for (c, s, _), (on, held) in self.levels_held.items() if (c, s) == (clf_id, sku))

    def order_holdings(self, order_id: str, kind: str) -> dict[tuple[str, str, str], int]:
        held: dict[tuple[str, str, str], int] = {}
        for m in self.movements:
            if (m["order_id"], m["kind"]) == (order_id, kind):
                key = (m["clf_id"], m["sku"], m["packaging_house_id"])
                held[key] = held.get(key, 0) + m["reserved_delta"]
        return held


class FakePhotos:
    def __init__(self) -> None:
        self.rows: dict[str, dict[str, Any]] = {}

    def count(self, clf_id: str, sku: str) -> int:
        return len(self.of_product(clf_id, sku))

    def of_product(self, clf_id: str, sku: str) -> list[Any]:
        mine = [r for r in self.rows.values() if (r["clf_id"], r["sku"]) == (clf_id, sku)]
        return [SimpleNamespace(**r) for r in sorted(mine, key=lambda r: r["position"])]

    def ids(self, clf_id: str, sku: str) -> list[str]:
        return [r.id for r in self.of_product(clf_id, sku)]

    def get(self, image_id: str) -> Any:
        return SimpleNamespace(**self.rows[image_id]) if image_id in self.rows else None

    def add(self, row: dict[str, Any]) -> None:
        self.rows[row["id"]] = dict(row)

    def remove(self, image_id: str) -> None:
        self.rows.pop(image_id, None)


class FakeRow(SimpleNamespace):
    """A row as the real repository gives it: attributes, and `_asdict()`."""

    def _asdict(self) -> dict[str, Any]:
        return dict(vars(self))


class FakeRegistry:
    KEYS = {"geo_units": "code"}

    def __init__(self) -> None:
        self.entries: dict[str, dict[str, dict[str, Any]]] = {}

    def get(self, entry: str, key: str) -> Any:
        found = self.entries.get(entry, {}).get(key)
        return FakeRow(**found) if found else None

    def add(self, entry: str, row: dict[str, Any]) -> None:
        self.entries.setdefault(entry, {})[row[self.KEYS.get(entry, "id")]] = dict(row)

    def update(self, entry: str, key: str, values: dict[str, Any]) -> None:
        self.entries[entry][key].update(values)

    def _rows(self, entry: str, order: str, **equal: Any) -> list[Any]:
        rows = [r for r in self.entries.get(entry, {}).values() if all(r.get(k) == v for k, v in equal.items())]
        return [FakeRow(**r) for r in sorted(rows, key=lambda r: r[order])]

    def clfs(self, visible: set[str] | None) -> list[Any]:
        return [r for r in self._rows("clfs", "id") if visible is None or r.id in visible]

    def shgs_of(self, clf_id: str) -> list[Any]:
        return self._rows("shgs", "name", clf_id=clf_id)

    def members_of(self, shg_id: str) -> list[Any]:
        return self._rows("members", "name", shg_id=shg_id)

    def packaging_houses(self) -> list[Any]:
        return self._rows("packaging_houses", "name")


class FakeListingStatuses:
    def __init__(self) -> None:
        self.reports: dict[tuple[str, str, str], dict[str, Any]] = {}

    def record(self, clf_id: str, sku: str, channel: str, status: str, issues: list[dict[str, Any]],
               reported_at: datetime) -> None:  # fmt: skip
        current = self.reports.get((clf_id, sku, channel))
        if current is None or current["reported_at"] < reported_at:
            self.reports[(clf_id, sku, channel)] = {"channel": channel, "status": status, "issues": issues,
                                                    "reported_at": reported_at}  # fmt: skip

    def of_product(self, clf_id: str, sku: str) -> list[dict[str, object]]:
        return [dict(v) for (c, s, _), v in sorted(self.reports.items()) if (c, s) == (clf_id, sku)]


class FakeCatalogUnitOfWork(FakeUnitOfWork):
    """Stands where `CatalogUnitOfWork` stands: the same repositories by name, events kept in `emitted`."""

    service = "catalog"

    def __init__(self) -> None:
        super().__init__()
        self.products = FakeProducts()
        self.stock = FakeStock()
        self.photos = FakePhotos()
        self.registry = FakeRegistry()
        self.listings = FakeListingStatuses()

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        kept = copy.deepcopy((self.products.stored, self.stock.levels_held, self.stock.movements))
        try:
            yield
        except BaseException:
            self.products.stored, self.stock.levels_held, self.stock.movements = kept
            raise

"""What must hold once the faults are healed and the system has caught up, read from each service's own
database, the sandboxes and the logs. Each check gives counts (printed) and problems (none expected)."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, text

from haat_testkit.resilience.load import Listed, LoadRecord
from haat_testkit.system import RunningSystem

ORDER_CREATED = "haat.orders.order.created.v1"


@dataclass
class Findings:
    counts: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def add(self, other: Findings) -> None:
        self.counts.update(other.counts)
        self.problems.extend(other.problems)


def _rows(url: str, sql: str, **params: object) -> list[Any]:  # rows of mixed columns
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(sql), params)]
    finally:
        engine.dispose()


def orders_exactly_once(orders_url: str, record: LoadRecord) -> Findings:
    found = Counter(
        (channel, marketplace_id)
        for channel, marketplace_id in _rows(orders_url, "SELECT channel, marketplace_order_id FROM orders")
    )
    placed = {(p.channel, p.marketplace_order_id) for p in record.orders}
    f = Findings({"marketplace orders placed": len(placed), "orders in the orders service": sum(found.values())})
    missing = [key for key in placed if found[key] == 0]
    doubled = [key for key, n in found.items() if n > 1]
    unknown = [key for key in found if key not in placed]
    f.counts.update(missing=len(missing), duplicated=len(doubled))
    f.problems += [f"order {k} missing from orders" for k in missing[:10]]
    f.problems += [f"order {k} exists {found[k]} times" for k in doubled[:10]]
    f.problems += [f"order {k} was never placed" for k in unknown[:10]]
    return f


def stock_matches_ledger(catalog_url: str, record: LoadRecord) -> Findings:
    f = Findings()
    levels = _rows(catalog_url, """
        SELECT l.clf_id, l.sku, l.packaging_house_id, l.on_hand, l.reserved,
               COALESCE(SUM(m.on_hand_delta), 0), COALESCE(SUM(m.reserved_delta), 0)
        FROM stock_levels l LEFT JOIN stock_movements m
          ON m.clf_id = l.clf_id AND m.sku = l.sku AND m.packaging_house_id = l.packaging_house_id
        GROUP BY l.clf_id, l.sku, l.packaging_house_id, l.on_hand, l.reserved""")  # fmt: skip
    f.counts["stock levels checked against the ledger"] = len(levels)
    for clf_id, sku, house, on_hand, reserved, ledger_on_hand, ledger_reserved in levels:
        if (on_hand, reserved) != (ledger_on_hand, ledger_reserved):
            f.problems.append(f"{clf_id}/{sku}@{house}: on hand {on_hand} reserved {reserved}, "
                              f"ledger says {ledger_on_hand}/{ledger_reserved}")  # fmt: skip
        if on_hand < 0 or reserved < 0 or reserved > on_hand:
            f.problems.append(f"{clf_id}/{sku}@{house}: on hand {on_hand}, reserved {reserved}")
    reservations = _rows(catalog_url, "SELECT order_id, COUNT(*) FROM stock_movements "
                                      "WHERE kind = 'reservation' GROUP BY order_id")  # fmt: skip
    f.counts["orders reserved"] = len(reservations)
    f.problems += [f"order {order} reserved {n} times" for order, n in reservations if n > 1]
    applied = dict(_rows(catalog_url, "SELECT reason, COUNT(*) FROM stock_movements WHERE reason LIKE 'resilience %' "
                                      "GROUP BY reason"))  # fmt: skip
    answered = {reason: status for reason, status in record.receipts.items() if status}
    f.counts["stock receipts sent"] = len(record.receipts)
    f.counts["stock receipts answered 2xx"] = sum(1 for s in answered.values() if 200 <= s < 300)
    for reason, status in record.receipts.items():
        n = applied.get(reason, 0)
        if 200 <= status < 300 and n != 1:
            f.problems.append(f"receipt {reason!r} answered {status} but applied {n} times")
        elif status == 0 and n > 1:
            f.problems.append(f"receipt {reason!r} (no answer) applied {n} times")
        elif 400 <= status < 500 and n:
            f.problems.append(f"receipt {reason!r} refused with {status} but applied {n} times")
    return f


def webhooks_delivered(orders_url: str, record: LoadRecord) -> Findings:
    wanted = {event_id for (event_id,) in _rows(orders_url, "SELECT event_id FROM outbox WHERE event_type = :type",
                                                 type=ORDER_CREATED)}  # fmt: skip
    ids_of_event: defaultdict[str, set[str]] = defaultdict(set)
    events_of_id: defaultdict[str, set[str]] = defaultdict(set)
    for webhook_id, event_id, _type in record.deliveries:
        ids_of_event[event_id].add(webhook_id)
        events_of_id[webhook_id].add(event_id)
    missing = wanted - set(ids_of_event)
    f = Findings({
        "order.created events": len(wanted), "webhook deliveries received": len(record.deliveries),
        "redelivered (same webhook-id)": len(record.deliveries) - len(events_of_id),
        "events without a delivery": len(missing), "forged deliveries": record.forged,
    })  # fmt: skip
    f.problems += [f"event {e} never delivered" for e in sorted(missing)[:10]]
    f.problems += [
        f"event {e} delivered under {len(ids)} webhook-ids" for e, ids in ids_of_event.items() if len(ids) > 1
    ]
    f.problems += [f"webhook-id {w} used for {len(es)} events" for w, es in events_of_id.items() if len(es) > 1]
    if record.forged:
        f.problems.append(f"{record.forged} deliveries failed signature verification")
    return f


def listings_settled(connectors_url: str, system: RunningSystem, products: list[Listed]) -> Findings:
    statuses = dict(_rows(connectors_url, "SELECT status, COUNT(*) FROM listings GROUP BY status"))
    dirty = _rows(connectors_url, "SELECT COUNT(*) FROM listings WHERE stock_dirty OR content_dirty")[0][0]
    f = Findings({f"listings {status}": n for status, n in statuses.items()})
    f.counts["listings with changes not yet pushed"] = dirty
    if statuses.get("pending"):
        f.problems.append(f"{statuses['pending']} listings pending")
    if dirty:
        f.problems.append(f"{dirty} listings with changes not pushed")
    headers = {"Authorization": f"Bearer {system.admin_key}"}
    shown = {channel: system.sandbox_quantities(channel) for channel in ("amazon", "flipkart")}
    for product in products:
        answer = httpx.get(f"{system.url()}/v1/stock/{product.sku}", params={"clf_id": product.clf_id},
                           headers=headers, timeout=30)  # fmt: skip
        available = answer.json()["available_total"]
        for channel, seller in product.sellers.items():
            quantity = shown[channel].get((seller, product.sku))
            if quantity != available:
                f.problems.append(f"{channel} shows {quantity} of {product.sku}, the catalog has {available}")
    return f


def logs_clean(log_dir: Path, secrets: Mapping[str, str]) -> Findings:
    """No dead letters (each would be an event some consumer gave up on) and no secret in any log line."""
    f = Findings()
    dead, lines = [], 0
    leaked: Counter[str] = Counter()
    for path in sorted(log_dir.glob("*.log")):
        for line in path.read_text(errors="replace").splitlines():
            lines += 1
            if "dead-letter" in line:
                dead.append(f"{path.stem}: {_message(line)}")
            for name, secret in secrets.items():
                if secret and secret in line:
                    leaked[f"{name} in {path.name}"] += 1
    f.counts.update(
        {"log lines scanned": lines, "dead letters": len(dead), "secrets found in logs": sum(leaked.values())}
    )
    f.problems += [f"dead letter: {d}" for d in dead[:10]]
    f.problems += [f"secret leaked: {where} ({n} lines)" for where, n in leaked.items()]
    return f


def _message(line: str) -> str:
    try:
        entry = json.loads(line)
        return f"{entry.get('message')} {entry.get('event_type', '')} {entry.get('consumer', '')}"
    except ValueError:
        return line[:200]

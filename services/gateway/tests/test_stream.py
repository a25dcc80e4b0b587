"""The live event stream (server-sent events) over real HTTP: scoped to the caller, resumable."""

from __future__ import annotations

import json
import threading
import time

import httpx
from sqlalchemy import func, select

from haat.events.catalog import StockChangedV1
from haat.events.envelope import new_event
from haat_gateway.adapters.tables import event_log
from haat_gateway.service_layer.event_log import record_event
from haat_testkit.http_server import ThreadedServer


def record_stock_event(gateway, clf_id: str, sku: str) -> None:
    data = StockChangedV1(
        sku=sku, clf_id=clf_id, packaging_house_id="ph", on_hand=5, reserved=0, available=5, available_total=5,
        reason="receipt",
    )  # fmt: skip
    with gateway.unit_of_work() as uow:
        record_event(uow, new_event(data, service="catalog"))
        uow.commit()


def read_events(url: str, headers: dict[str, str], count: int, params: dict | None = None) -> list[tuple[str, dict]]:
    received: list[tuple[str, dict]] = []
    with httpx.stream("GET", url, headers=headers, params=params, timeout=20) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        current_id = ""
        for line in response.iter_lines():
            if line.startswith("id: "):
                current_id = line[4:]
            elif line.startswith("data: "):
                received.append((current_id, json.loads(line[6:])))
                if len(received) == count:
                    break
    return received


def test_a_coordinator_streams_only_her_clfs_events_and_can_resume(service, api_key):
    gateway = service("gateway")
    record_stock_event(gateway, "clf-a", "OLD-1")  # before the stream's starting point: not sent
    with gateway.engine.connect() as conn:
        start = conn.scalar(select(func.max(event_log.c.seq)))
    with ThreadedServer(gateway.definition.create_app(gateway)) as server:
        url = f"{server.url}/v1/events/stream"
        didi = api_key(gateway, "coordinator", "clf-a")
        got: list[tuple[str, dict]] = []
        reader = threading.Thread(target=lambda: got.extend(read_events(url, didi, 2, params={"since": start})))
        reader.start()
        time.sleep(0.5)  # events arriving while the stream is open
        for clf, sku in [("clf-b", "B-1"), ("clf-a", "A-1"), ("clf-b", "B-2"), ("clf-a", "A-2")]:
            record_stock_event(gateway, clf, sku)
        reader.join(timeout=20)
        assert [event["subject"] for _, event in got] == ["A-1", "A-2"], "only her CLF, in order"

        resumed = read_events(url, {**didi, "Last-Event-ID": got[0][0]}, 1)
        assert resumed[0][1]["subject"] == "A-2", "Last-Event-ID continues after the last one seen"
        granted_both = api_key(gateway, "partner", clf_ids=["clf-a", "clf-b"])
        everything = read_events(url, granted_both, 5, params={"since": 0})
        assert [e["subject"] for _, e in everything] == ["OLD-1", "B-1", "A-1", "B-2", "A-2"]
        granted_b = api_key(gateway, "partner", clf_ids=["clf-b"])
        assert [e["subject"] for _, e in read_events(url, granted_b, 2, params={"since": 0})] == ["B-1", "B-2"]
        assert httpx.get(url, timeout=5).status_code == 401

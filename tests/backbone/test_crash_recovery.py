"""Crashes at the two dangerous points of the backbone, in real worker processes killed abruptly
(HAAT_CRASH_AT makes the process `os._exit(137)` exactly there), then restarted."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from haat.faults import EXIT_CODE
from haat_testkit.catalog_factories import clf_with_shgs, submitted_product
from haat_testkit.fixtures import subprocess_env
from haat_testkit.topic_reader import read_topic
from haat_testkit.waiting import wait_for


class Worker:
    """`haat worker <service>` in its own process, its log in a file the test can watch."""

    def __init__(self, settings, log_path: Path, *args: str, crash_at: str | None = None) -> None:
        extra = {"HAAT_CRASH_AT": crash_at} if crash_at else {}
        self.log_path = log_path
        self.process = subprocess.Popen(
            [sys.executable, "-m", "haat.cli.main", "worker", settings.service_name, *args],
            env=subprocess_env(settings, **extra),
            stdout=subprocess.DEVNULL,
            stderr=log_path.open("w"),
        )

    def log(self) -> str:
        return self.log_path.read_text()

    def wait(self) -> int:
        return self.process.wait(timeout=60)

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        assert self.process.wait(timeout=30) == 0, self.log()[-2000:]


def snapshot_row(orders):
    table = orders.definition.metadata.tables["product_snapshots"]
    with orders.engine.connect() as conn:
        return conn.execute(select(table)).one_or_none()


def test_relay_killed_between_publish_and_mark_delivers_once_in_effect(service, broker, tmp_path):
    catalog = service("catalog")
    clf_with_shgs(catalog, announce=False)
    orders = service("orders")
    with catalog.unit_of_work() as uow:
        submitted_product(uow)
    outbox = catalog.definition.outbox_table

    crashed = Worker(catalog.settings, tmp_path / "crashed.log", "--no-consumers", crash_at="relay.after_publish")
    assert crashed.wait() == EXIT_CODE, crashed.log()
    with catalog.engine.connect() as conn:
        assert conn.scalar(select(outbox.c.sent_at)) is None, "the crash came before the row was marked sent"
    assert len(read_topic(broker.bootstrap_servers, "haat.catalog.products", at_least=1)) == 1

    restarted = Worker(catalog.settings, tmp_path / "restarted.log", "--no-consumers")
    wait_for(lambda: catalog.make_relay().unsent_count() == 0, timeout_s=30, what="the restarted relay")
    restarted.stop()
    published = read_topic(broker.bootstrap_servers, "haat.catalog.products", at_least=2)
    assert len(published) == 2, "the restarted relay published the same event a second time"
    assert published[0].value == published[1].value

    orders.start_workers(relay=False)
    wait_for(lambda: orders.consumers[0].duplicates == 1, what="the duplicate to reach orders")
    row = snapshot_row(orders)
    assert row is not None
    assert row.applied_events == 1


def test_consumer_crash_after_effect_before_offset_commit_does_not_apply_twice(service, tmp_path):
    catalog = service("catalog")
    clf_with_shgs(catalog, announce=False)
    orders = service("orders")
    with catalog.unit_of_work() as uow:
        submitted_product(uow)
    assert catalog.make_relay().drain() == 1

    crashed = Worker(orders.settings, tmp_path / "crashed.log", "--no-relay", crash_at="consumer.after_effect")
    assert crashed.wait() == EXIT_CODE, crashed.log()
    row = snapshot_row(orders)
    assert row is not None, "the effect was committed before the crash"
    assert row.applied_events == 1

    # The offset was never committed, so the restarted consumer receives the event again and skips it.
    restarted = Worker(orders.settings, tmp_path / "restarted.log", "--no-relay")
    wait_for(lambda: "duplicate event skipped" in restarted.log(), timeout_s=30, what="the redelivery")
    restarted.stop()
    inbox = orders.definition.inbox_table
    assert snapshot_row(orders).applied_events == 1
    with orders.engine.connect() as conn:
        assert len(conn.execute(select(inbox)).all()) == 1

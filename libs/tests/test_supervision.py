import logging
import threading

import pytest

from haat.supervision import supervised

pytestmark = pytest.mark.fast


def test_a_crashed_worker_is_started_again_until_it_finishes(caplog):
    stop = threading.Event()
    runs = []

    def worker(stop_event: threading.Event) -> None:
        runs.append(stop_event)
        if len(runs) < 3:
            raise ConnectionRefusedError("broker not reachable")

    with caplog.at_level(logging.ERROR, logger="haat.supervision"):
        supervised("orders-consumer", worker, stop, first_pause_s=0.01)()
    assert len(runs) == 3
    assert all(event is stop for event in runs)
    crashes = [r for r in caplog.records if r.message.startswith("worker crashed")]
    assert [r.worker for r in crashes] == ["orders-consumer", "orders-consumer"]
    assert crashes[1].restart_in_s > crashes[0].restart_in_s  # repeated crashes wait longer


def test_stopping_ends_the_restarts():
    stop = threading.Event()
    runs = []

    def worker(_: threading.Event) -> None:
        runs.append(1)
        stop.set()  # the service stops while the worker fails
        raise RuntimeError("database restarting")

    thread = threading.Thread(target=supervised("sync", worker, stop, first_pause_s=0.01))
    thread.start()
    thread.join(timeout=5)
    assert not thread.is_alive()
    assert runs == [1]

"""The faults injected while the load runs: each one injected, held for a while, then healed.

Service processes and the embedded broker are killed with SIGKILL (`haat up --restart` starts them again,
as an orchestrator would); PostgreSQL loses every connection of the run's databases (and, in the soak,
restarts when this machine lets us); the sandbox marketplaces misbehave through `PUT /_sandbox/faults`;
the partner's webhook endpoint answers 503 for a while.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text

from haat_testkit.processes import descendants
from haat_testkit.receiver import CountingReceiver
from haat_testkit.system import RunningSystem

SANDBOX_CHANNELS = ("amazon", "flipkart")
TERMINATE = text(
    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ANY(:names) AND pid <> pg_backend_pid()"
)


@dataclass(frozen=True)
class Fault:
    name: str
    inject: Callable[[], object]
    heal: Callable[[], object] = lambda: None
    hold_s: float = 8.0  # how long the fault lasts before it is healed


def process_of(root_pid: int, name: str) -> int:
    """The pid of the process below `root_pid` that runs `name` ("catalog", "broker"…)."""
    found = [pid for pid, runs in descendants(root_pid).items() if runs == name]
    if not found:
        raise LookupError(f"no process {name!r} under {root_pid}")
    return found[0]


def kill_service(system: RunningSystem, service: str) -> Fault:
    return Fault(f"kill -9 {service}", lambda: _kill(system, service))


def kill_broker(system: RunningSystem) -> Fault:
    return Fault("kill -9 broker (restarts empty)", lambda: _kill(system, "broker"))


def _kill(system: RunningSystem, name: str) -> None:
    os.kill(process_of(system.process.pid, name), signal.SIGKILL)


def drop_database_connections(database_urls: list[str]) -> Fault:
    def terminate() -> None:
        names = [url.rsplit("/", 1)[1] for url in database_urls]
        engine = create_engine(database_urls[0].rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                conn.execute(TERMINATE, {"names": names})
        finally:
            engine.dispose()

    return Fault("PostgreSQL drops every connection", terminate, hold_s=4)


def postgres_restart_possible() -> bool:
    return os.geteuid() == 0 and shutil.which("pg_ctlcluster") is not None and Path("/etc/postgresql/15/main").exists()


def restart_postgres() -> Fault:
    def restart() -> None:
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", "15", "main", "restart"], check=True,  # noqa: S607
                       capture_output=True, timeout=120)  # fmt: skip

    return Fault("PostgreSQL server restarted", restart, hold_s=4)


def sandbox_fault(system: RunningSystem, name: str, hold_s: float = 8.0, **faults: object) -> Fault:
    def put(body: dict[str, object]) -> None:
        for channel in SANDBOX_CHANNELS:
            httpx.put(f"{system.sandbox_url(channel)}/_sandbox/faults", json=body, timeout=10).raise_for_status()

    def heal() -> None:
        put({})
        if faults.get("reorder_notifications"):  # what was held back is pushed, newest first
            for channel in SANDBOX_CHANNELS:
                httpx.post(f"{system.sandbox_url(channel)}/_sandbox/notifications/flush", timeout=30)

    return Fault(name, lambda: put(dict(faults)), heal, hold_s)


def webhook_endpoint_down(receiver: CountingReceiver, hold_s: float = 15.0) -> Fault:
    def down() -> None:
        receiver.status = 503

    def up() -> None:
        receiver.status = 204

    return Fault("partner's webhook endpoint down (503)", down, up, hold_s)


def standard_faults(system: RunningSystem, receiver: CountingReceiver, database_urls: list[str], *,
                    restart_database: bool) -> list[Fault]:  # fmt: skip
    faults = [
        kill_service(system, "connectors"),
        sandbox_fault(system, "marketplaces answer 429 for 6 s (a 429 storm)", throttle_for_s=6),
        kill_service(system, "orders"),
        sandbox_fault(system, "marketplaces answer 30% of calls with 503", error_rate=0.3),
        kill_broker(system),
        sandbox_fault(system, "marketplaces hang 20% of calls for 5 s", timeout_rate=0.2, hang_s=5),
        kill_service(system, "catalog"),
        sandbox_fault(system, "marketplaces push every notification twice", duplicate_notifications=True),
        drop_database_connections(database_urls),
        sandbox_fault(
            system, "marketplaces hold notifications, then push them newest first", reorder_notifications=True
        ),
        webhook_endpoint_down(receiver),
        kill_service(system, "gateway"),
    ]
    if restart_database:
        faults.append(restart_postgres())
    return faults


def inject(fault: Fault, say: Callable[[str], None]) -> None:
    started = time.monotonic()
    fault.inject()
    time.sleep(fault.hold_s)
    fault.heal()
    say(f"  {fault.name}: injected, healed after {time.monotonic() - started:.0f} s")

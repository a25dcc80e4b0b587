"""The whole system as `make run` starts it (`haat up` in a subprocess), on free ports, for end-to-end tests."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from haat.broker import free_port
from haat_testkit.waiting import wait_for

SERVICES = ("gateway", "catalog", "orders", "connectors")


@dataclass
class RunningSystem:
    process: subprocess.Popen[bytes]
    output: Path
    ports: dict[str, int]
    sandbox_ports: dict[str, int]
    bootstrap_servers: str  # the embedded broker `haat up` was told to start
    var_dir: Path  # its data, logs and (var/secrets/) the secrets it made for the run
    admin_key: str = ""
    exit_code: int | None = field(default=None)

    def url(self, service: str = "gateway") -> str:
        return f"http://127.0.0.1:{self.ports[service]}"

    def sandbox_url(self, channel: str) -> str:
        return f"http://127.0.0.1:{self.sandbox_ports[channel]}"

    def sandbox_quantities(self, channel: str) -> dict[tuple[str, str], int]:
        """(seller, sku) → the quantity a sandbox marketplace shows buyers now."""
        answer = httpx.get(f"{self.sandbox_url(channel)}/_sandbox/listings", timeout=60)
        answer.raise_for_status()
        found = {}
        for listing in answer.json():
            if channel == "amazon":
                quantity = int(listing["fulfillmentAvailability"][0]["quantity"])
            else:
                quantity = sum(int(loc["inventory"]) for loc in listing["locations"] if loc.get("status") == "ENABLE")
            found[(listing["seller_id"], listing["sku"])] = quantity
        return found

    def printed(self) -> str:
        return self.output.read_text()

    def demo_sync_settled(self) -> bool:
        """The demo catalog's first sync to both sandboxes is over (it loads the machine while it runs)."""
        try:
            answer = httpx.get(f"{self.url()}/v1/listings/summary",
                               headers={"Authorization": f"Bearer {self.admin_key}"}, timeout=30)  # fmt: skip
        except httpx.TimeoutException:  # the sync loads the machine: ask again
            return False
        if answer.status_code != 200:
            return False
        counts = answer.json()
        live = {row["channel"] for row in counts if row["status"] == "live"}
        return live == {"amazon", "flipkart"} and not any(row["status"] == "pending" for row in counts)


@contextmanager
def running_system(
    var_dir: Path, *, seed: bool = True, restart: bool = False, env: Mapping[str, str] | None = None
) -> Iterator[RunningSystem]:
    """`haat up` with its own ports, data directory, broker and sandbox marketplaces (and the demo data unless
    `seed` is False; `env`: HAAT_* settings; `restart`: services and broker that die are started again);
    stopped with Ctrl-C (SIGINT) at the end, whose exit code is kept in `exit_code` for the caller to check."""
    ports = {name: free_port() for name in SERVICES}
    sandbox_ports = {"amazon": free_port(), "flipkart": free_port()}
    bootstrap_servers = (env or {}).get("HAAT_KAFKA_BOOTSTRAP_SERVERS", f"127.0.0.1:{free_port()}")
    amazon = f"http://127.0.0.1:{sandbox_ports['amazon']}"
    child_env = {k: v for k, v in os.environ.items() if not k.startswith("HAAT_")}
    child_env.update({f"HAAT_{name.upper()}_PORT": str(port) for name, port in ports.items()})
    child_env.update({
        "HAAT_KAFKA_BOOTSTRAP_SERVERS": bootstrap_servers, "HAAT_VAR_DIR": str(var_dir),
        "HAAT_CONNECTORS_AMAZON_API_URL": amazon, "HAAT_CONNECTORS_AMAZON_AUTH_URL": f"{amazon}/auth/o2/token",
        "HAAT_CONNECTORS_FLIPKART_API_URL": f"http://127.0.0.1:{sandbox_ports['flipkart']}",
        "HAAT_CONNECTORS_SQS_ENDPOINT_URL": f"http://127.0.0.1:{free_port()}",  # where Amazon's notifications go
        **(env or {}),
    })  # fmt: skip
    var_dir.mkdir(parents=True, exist_ok=True)
    output = var_dir / "up.out"
    command = [sys.executable, "-m", "haat.cli.main", "up", *([] if seed else ["--no-seed"])]
    command += ["--restart"] if restart else []
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        command, env=child_env, stdout=output.open("w"), stderr=subprocess.STDOUT, start_new_session=True
    )
    system = RunningSystem(process, output, ports, sandbox_ports, bootstrap_servers, var_dir)
    try:
        wait_for(lambda: "Ctrl-C stops everything" in output.read_text(), timeout_s=180, what="haat up")
        found = re.search(r"Admin API key \(shown once\): (haat_\S+)", output.read_text())
        system.admin_key = found.group(1) if found else ""
        yield system
    finally:
        process.send_signal(signal.SIGINT)
        try:
            system.exit_code = process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            system.exit_code = process.wait()

"""`make run`'s command, as a person would use it: everything comes up healthy, the printed key works,
the demo data flows through Kafka to the gateway, and Ctrl-C stops every process cleanly."""

import os
import re
import signal
import subprocess
import sys
import time

import httpx

from haat.broker import free_port
from haat.settings import CommonSettings
from haat.testing.callers import caller_headers
from haat.testing.waiting import wait_for

SERVICES = ("gateway", "catalog", "orders", "connectors")


def test_up_runs_the_whole_system_and_stops_cleanly_on_ctrl_c(tmp_path):
    ports = {name: free_port() for name in SERVICES}
    broker_port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("HAAT_")}
    env.update({f"HAAT_{name.upper()}_PORT": str(port) for name, port in ports.items()})
    env.update({"HAAT_KAFKA_BOOTSTRAP_SERVERS": f"127.0.0.1:{broker_port}", "HAAT_VAR_DIR": str(tmp_path / "var")})
    amazon, flipkart = free_port(), free_port()  # where the sandbox marketplaces are started
    env.update({
        "HAAT_CONNECTORS_AMAZON_API_URL": f"http://127.0.0.1:{amazon}",
        "HAAT_CONNECTORS_AMAZON_AUTH_URL": f"http://127.0.0.1:{amazon}/auth/o2/token",
        "HAAT_CONNECTORS_FLIPKART_API_URL": f"http://127.0.0.1:{flipkart}",
        "HAAT_CONNECTORS_DEMO_ORDERS_PER_MINUTE": "30",
    })  # fmt: skip
    output = tmp_path / "up.out"
    process = subprocess.Popen(
        [sys.executable, "-m", "haat.cli.main", "up"],
        env=env,
        stdout=output.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_for(lambda: "Ctrl-C stops everything" in output.read_text(), timeout_s=120, what="haat up")
        printed = output.read_text()
        key = re.search(r"Admin API key \(shown once\): (haat_\S+)", printed).group(1)
        assert f"http://127.0.0.1:{ports['gateway']}/docs" in printed

        for port in ports.values():
            assert httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=5).status_code == 200
        gateway = f"http://127.0.0.1:{ports['gateway']}"
        headers = {"Authorization": f"Bearer {key}"}
        assert httpx.get(f"{gateway}/v1/me", headers=headers).json()["role"] == "admin"

        def seen(event_type: str) -> bool:
            page = httpx.get(f"{gateway}/v1/events", headers=headers, params={"type": event_type, "limit": 1})
            return page.status_code == 200 and bool(page.json()["items"])

        def demo_flowed() -> bool:
            return seen("haat.catalog.product.published.v1") and seen("haat.catalog.stock.changed.v1")

        # Polled gently: the gateway rate-limits each key (20/s by default).
        wait_for(demo_flowed, timeout_s=60, interval_s=0.5, what="the demo catalog's events at the gateway")
        orders = f"http://127.0.0.1:{ports['orders']}"
        url = f"{orders}/internal/product-snapshots/clf-kanti/HALDI-200G"
        assert httpx.get(url, timeout=5).status_code == 401, "internal services refuse callers without a token"
        # Orders reads the same events with its own consumer: wait for it too.
        snapshot = wait_for(
            lambda: (r := httpx.get(url, headers=caller_headers(CommonSettings()), timeout=5)).status_code == 200 and r,
            interval_s=0.5,
            what="the orders service's product snapshot",
        )
        assert snapshot.json()["title"] == "Turmeric powder, 200g / हल्दी पाउडर, 200g"  # both languages

        # The demo catalog through the public gateway, searched in Hindi.
        found = httpx.get(f"{gateway}/v1/products", headers=headers, params={"q": "हल्दी", "limit": 500}).json()
        assert {p["sku"] for p in found["items"]} >= {"HALDI-100G", "HALDI-200G", "HALDI-500G"}
        assert len({p["clf_id"] for p in found["items"]}) == 5

        # The demo products go live on both sandbox marketplaces, and their buyers' orders reach the queue.
        def live(channel: str) -> int:
            page = httpx.get(f"{gateway}/v1/listings", headers=headers, params={"channel": channel, "status": "live"})
            return len(page.json()["items"]) if page.status_code == 200 else 0

        wait_for(lambda: live("amazon") > 0 and live("flipkart") > 0, timeout_s=60, interval_s=1, what="live listings")
        assert f"amazon-sandbox: http://127.0.0.1:{amazon}" in printed
        queue = wait_for(
            lambda: (r := httpx.get(f"{gateway}/v1/orders", headers=headers)).status_code == 200 and r.json()["items"],
            timeout_s=90, interval_s=1, what="a demo order in the queue",
        )  # fmt: skip
        assert queue[0]["channel"] in ("amazon", "flipkart")
    finally:
        process.send_signal(signal.SIGINT)
        code = process.wait(timeout=60)
    assert code == 0, output.read_text()[-3000:]
    assert "haat: stopped" in output.read_text()
    time.sleep(0.5)
    leftovers = subprocess.run(["pgrep", "-s", str(process.pid)], capture_output=True, text=True, check=False)
    assert leftovers.stdout.strip() == "", "every child process (services, broker) has exited"

"""`make run`'s command, as a person would use it: everything comes up healthy, the printed key works,
the demo data flows through Kafka to the gateway, and Ctrl-C stops every process cleanly."""

import subprocess
import time

import httpx

from haat.settings import CommonSettings, local_secret
from haat_testkit.callers import caller_headers
from haat_testkit.system import running_system
from haat_testkit.waiting import wait_for

# The demo catalog syncs to both sandboxes while the test asks: on a slow day an answer can take seconds.
http = httpx.Client(timeout=60)


def test_up_runs_the_whole_system_and_stops_cleanly_on_ctrl_c(tmp_path):
    with running_system(tmp_path / "var", env={"HAAT_CONNECTORS_DEMO_ORDERS_PER_MINUTE": "30"}) as system:
        ports, output, process, key = system.ports, system.output, system.process, system.admin_key
        amazon = system.sandbox_ports["amazon"]
        printed = output.read_text()
        assert f"http://127.0.0.1:{ports['gateway']}/docs" in printed

        for port in ports.values():
            assert http.get(f"http://127.0.0.1:{port}/readyz").status_code == 200
        gateway = f"http://127.0.0.1:{ports['gateway']}"
        headers = {"Authorization": f"Bearer {key}"}
        assert http.get(f"{gateway}/v1/me", headers=headers).json()["role"] == "admin"

        def seen(event_type: str) -> bool:
            page = http.get(f"{gateway}/v1/events", headers=headers, params={"type": event_type, "limit": 1})
            return page.status_code == 200 and bool(page.json()["items"])

        def demo_flowed() -> bool:
            return seen("haat.catalog.product.published.v1") and seen("haat.catalog.stock.changed.v1")

        # Polled gently: the gateway rate-limits each key (20/s by default).
        wait_for(demo_flowed, timeout_s=60, interval_s=0.5, what="the demo catalog's events at the gateway")
        orders = f"http://127.0.0.1:{ports['orders']}"
        url = f"{orders}/internal/product-snapshots/clf-kanti/HALDI-200G"
        assert http.get(url).status_code == 401, "internal services refuse callers without a token"
        # Orders reads the same events with its own consumer: wait for it too. Callers are signed with the
        # secret `haat up` made for this run (a token signed with any other is refused).
        this_run = CommonSettings(internal_token_secret=local_secret(system.var_dir, "internal_token_secret"))
        assert http.get(url, headers=caller_headers(CommonSettings())).status_code == 401
        snapshot = wait_for(
            lambda: (r := http.get(url, headers=caller_headers(this_run))).status_code == 200 and r,
            interval_s=0.5,
            what="the orders service's product snapshot",
        )
        assert snapshot.json()["title"] == "Turmeric powder, 200g / हल्दी पाउडर, 200g"  # both languages

        # The demo catalog through the public gateway, searched in Hindi.
        found = http.get(f"{gateway}/v1/products", headers=headers, params={"q": "हल्दी", "limit": 500}).json()
        assert {p["sku"] for p in found["items"]} >= {"HALDI-100G", "HALDI-200G", "HALDI-500G"}
        assert len({p["clf_id"] for p in found["items"]}) == 5

        # The demo products go live on both sandbox marketplaces, and their buyers' orders reach the queue.
        def live(channel: str) -> int:
            page = http.get(f"{gateway}/v1/listings", headers=headers, params={"channel": channel, "status": "live"})
            return len(page.json()["items"]) if page.status_code == 200 else 0

        wait_for(lambda: live("amazon") > 0 and live("flipkart") > 0, timeout_s=120, interval_s=1, what="live listings")
        assert f"amazon-sandbox: http://127.0.0.1:{amazon}" in printed
        queue = wait_for(
            lambda: (r := http.get(f"{gateway}/v1/orders", headers=headers)).status_code == 200 and r.json()["items"],
            timeout_s=90, interval_s=1, what="a demo order in the queue",
        )  # fmt: skip
        assert queue[0]["channel"] in ("amazon", "flipkart")
        assert f"{system.url()}/   (log in as admin" in printed  # the web pages and their demo users
    assert system.exit_code == 0, output.read_text()[-3000:]
    assert "haat: stopped" in output.read_text()
    time.sleep(0.5)
    leftovers = subprocess.run(["pgrep", "-s", str(process.pid)], capture_output=True, text=True, check=False)
    assert leftovers.stdout.strip() == "", "every child process (services, broker) has exited"

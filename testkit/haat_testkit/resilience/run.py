"""One resilience run: the whole system (`haat up --restart`, on PostgreSQL) with the demo data, the load
started, the faults injected one after another for `duration_s`, then everything healed, the load stopped,
and the checks repeated until they hold or the system has had `settle_s` to catch up."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from haat.settings import SECRET_FIELDS, local_secret
from haat_connectors.demo import DEMO_CLFS, demo_credentials
from haat_testkit.postgres import DatabaseFactory, postgres_server
from haat_testkit.resilience import invariants
from haat_testkit.resilience.faults import inject, postgres_restart_possible, standard_faults
from haat_testkit.resilience.invariants import Findings
from haat_testkit.resilience.load import Listed, Load
from haat_testkit.system import RunningSystem, running_system
from haat_testkit.waiting import wait_for

SERVICES = ("catalog", "orders", "connectors", "gateway")
SETTINGS = {
    "HAAT_CONNECTORS_DEMO_ORDERS_PER_MINUTE": "0",  # only the load's orders, so that each can be accounted for
    "HAAT_CONNECTORS_QUOTA_SCALE": "10",
    "HAAT_GATEWAY_WEBHOOK_RETRY_SCHEDULE_S": "[1, 2, 4, 8, 15, 30, 60]",
    "HAAT_GATEWAY_WEBHOOK_RATE_PER_S": "1000",
    "HAAT_BROKER_CHECK_INTERVAL_S": "2",
}
PRODUCTS_PER_CLF = 2
STOCK_TO_START = 60


@dataclass
class Report:
    tried: list[str] = field(default_factory=list)
    findings: Findings = field(default_factory=Findings)
    settled_in_s: float = 0.0
    duration_s: float = 0.0

    def table(self) -> str:
        lines = ["", "Resilience run", f"  faults injected over {self.duration_s:.0f} s:"]
        lines += self.tried
        lines.append(f"  after healing, the checks held within {self.settled_in_s:.0f} s" if not self.findings.problems
                     else f"  after {self.settled_in_s:.0f} s the checks still found problems")  # fmt: skip
        width = max(len(k) for k in self.findings.counts)
        lines += [f"  {name:<{width}}  {value:>7,}" for name, value in self.findings.counts.items()]
        lines += [f"  PROBLEM: {p}" for p in self.findings.problems] or ["  problems: none"]
        return "\n".join(lines)


def run_under_faults(var: Path, *, duration_s: float, settle_s: float = 240, orders_per_s: float = 2.0,
                     seed: int = 11, say: Callable[[str], None] = print) -> Report:  # fmt: skip
    with postgres_server() as maintenance_url:
        databases = DatabaseFactory(maintenance_url)
        try:
            urls = {name: databases.create(f"haat_resilience_{name}") for name in SERVICES}
            settings = {f"HAAT_{name.upper()}_DATABASE_URL": url for name, url in urls.items()}
            say("resilience: starting the whole system (haat up --restart) on PostgreSQL with the demo data")
            with running_system(var, seed=True, restart=True, env={**settings, **SETTINGS}) as system:
                return _run(system, urls, var, duration_s=duration_s, settle_s=settle_s, orders_per_s=orders_per_s,
                            seed=seed, say=say)  # fmt: skip
        finally:
            databases.drop_all()


def _run(system: RunningSystem, urls: dict[str, str], var: Path, *, duration_s: float, settle_s: float,
         orders_per_s: float, seed: int, say: Callable[[str], None]) -> Report:  # fmt: skip
    wait_for(system.demo_sync_settled, timeout_s=600, interval_s=3, what="the demo catalog's first sync")
    products = _products_on_both_channels(system)
    load = Load(system, products, orders_per_s=orders_per_s, seed=seed)
    report = Report()
    with load.receiver:
        load.subscribe([invariants.ORDER_CREATED])
        for product in products:
            load.receive(product, STOCK_TO_START)
        say(f"resilience: load started ({orders_per_s:g} orders/s over {len(products)} products on both "
            f"channels, stock receipts, price changes, a webhook partner); faults for {duration_s:.0f} s")  # fmt: skip
        load.start()
        chooser = random.Random(seed)
        faults = standard_faults(
            system, load.receiver, list(urls.values()), restart_database=postgres_restart_possible()
        )
        started = time.monotonic()
        n = 0
        while time.monotonic() - started < duration_s:
            fault = faults[n % len(faults)]
            n += 1
            time.sleep(chooser.uniform(1, 4))  # a random point in whatever the system is doing
            inject(fault, say)
            report.tried.append(f"    {fault.name}")
        report.duration_s = time.monotonic() - started
        say("resilience: faults over; stopping the load and waiting for the system to catch up")
        load.finish()
        healed = time.monotonic()
        secrets = _secrets(system, load)
        while True:
            findings = _check(system, urls, var, load, products, secrets)
            if not findings.problems or time.monotonic() - healed > settle_s:
                break
            time.sleep(5)
        report.settled_in_s = time.monotonic() - healed
        report.findings = findings
        report.findings.counts.update({
            "orders the sandboxes refused": sum(load.record.refused_orders.values()),
            "gateway calls retried": load.record.gateway_retries, "price changes": load.record.price_changes,
        })  # fmt: skip
    return report


def _check(system: RunningSystem, urls: dict[str, str], var: Path, load: Load, products: list[Listed],
           secrets: dict[str, str]) -> Findings:  # fmt: skip
    findings = Findings()
    try:
        findings.add(invariants.orders_exactly_once(urls["orders"], load.record))
        findings.add(invariants.stock_matches_ledger(urls["catalog"], load.record))
        findings.add(invariants.webhooks_delivered(urls["orders"], load.record))
        findings.add(invariants.listings_settled(urls["connectors"], system, products))
        findings.add(invariants.logs_clean(var / "logs", secrets))
    except (httpx.HTTPError, KeyError, ValueError) as error:  # a service still starting again
        findings.problems.append(f"could not check yet: {error!r}")
    return findings


def _products_on_both_channels(system: RunningSystem) -> list[Listed]:
    shown = {channel: system.sandbox_quantities(channel) for channel in ("amazon", "flipkart")}
    chosen = []
    for clf_id in DEMO_CLFS:
        sellers = {channel: demo_credentials(channel, clf_id)[0] for channel in ("amazon", "flipkart")}
        skus = sorted(sku for (seller, sku) in shown["amazon"] if seller == sellers["amazon"]
                      and (sellers["flipkart"], sku) in shown["flipkart"])  # fmt: skip
        chosen += [Listed(clf_id, sku, sellers) for sku in skus[:PRODUCTS_PER_CLF]]
    if not chosen:
        raise RuntimeError("no demo product is live on both sandboxes")
    return chosen


def _secrets(system: RunningSystem, load: Load) -> dict[str, str]:
    secrets = {"admin API key": system.admin_key, "webhook secret": load.secret}
    for name in (*SECRET_FIELDS, "amazon_notification_secret"):  # the last run's (each run makes new ones)
        secrets[name] = local_secret(system.var_dir, name)
    for clf_id in DEMO_CLFS:
        for channel in ("amazon", "flipkart"):
            for name, value in demo_credentials(channel, clf_id)[1].items():
                if "secret" in name or "token" in name:
                    secrets[f"{channel} {name} of {clf_id}"] = value
    return secrets

"""A small run of `make bench`: every figure is measured (on a small scale: the whole system started, a
hundred orders, a short soak, 20,000 rows for the read API) and written as a table and as JSON."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ROWS = [
    "raw kafka-python produce→consume", "outbox relay, SQLite", "webhook deliveries", "listing sync",
    "peer: python-amazon-sp-api", "order pipeline: Amazon order", "order pipeline p99", "CPU per order",
    "memory of catalog", "memory of orders", "memory of connectors", "memory of gateway", "memory of broker",
    "stock change", "outbox relay, PostgreSQL", "bulk import", "gateway GET /v1/products?q=", "gateway GET /v1/orders",
]  # fmt: skip


def test_bench_quick_run_prints_and_writes_every_figure(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--messages", "500", "--out", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "| raw kafka-python produce→consume |" in result.stdout
    assert "| outbox relay, SQLite (embedded run) |" in result.stdout
    assert "bench: " in result.stderr, "progress is shown while it runs"
    written = json.loads((tmp_path / "latest.json").read_text())
    names = [f["name"] for f in written["figures"]]
    for row in ROWS:
        assert any(name.startswith(row) for name in names), f"no row {row!r} in {names}"
    assert all(f["value"] > 0 and f["baseline"] > 0 for f in written["figures"])
    assert all(f"| {name} |" in result.stdout for name in names), "the printed table has every row"
    assert (tmp_path / "latest.md").read_text().startswith("Measured ")

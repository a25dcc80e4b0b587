"""A small run of `make bench`: every figure is measured and written as a table and as JSON."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_bench_quick_run_prints_and_writes_every_figure(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--messages", "500", "--out", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "| raw kafka-python produce→consume |" in result.stdout
    assert "| outbox relay, SQLite (embedded run) |" in result.stdout
    assert "bench: " in result.stderr, "progress is shown while it runs"
    written = json.loads((tmp_path / "latest.json").read_text())
    names = {f["name"] for f in written["figures"]}
    assert {"raw kafka-python produce→consume", "outbox relay, SQLite (embedded run)"} <= names
    assert all(f["value"] > 0 and f["baseline"] > 0 for f in written["figures"])
    assert (tmp_path / "latest.md").read_text().startswith("Measured ")

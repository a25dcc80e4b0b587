"""The whole system under load while every kind of fault is injected once (`make soak` does it for ten
minutes): afterwards nothing is lost, nothing is doubled, nothing is stuck, and no secret is in the logs."""

from __future__ import annotations

from haat_testkit.resilience.run import run_under_faults


def test_faults_under_load_lose_and_double_nothing(tmp_path):
    report = run_under_faults(tmp_path / "var", duration_s=150, say=print)
    print(report.table())
    assert len(report.tried) >= 12, "every kind of fault was injected"
    counts = report.findings.counts
    assert counts["marketplace orders placed"] > 50
    assert counts["webhook deliveries received"] >= counts["order.created events"] > 50
    assert not report.findings.problems, "\n".join(report.findings.problems)

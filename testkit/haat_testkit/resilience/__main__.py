"""`make soak`: python -m haat_testkit.resilience [--minutes 10]: a long resilience run that prints its
report and exits 1 if any effect was lost or doubled."""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from haat_testkit.resilience.run import run_under_faults


def main() -> int:
    parser = argparse.ArgumentParser(prog="make soak", description=__doc__)
    parser.add_argument("--minutes", type=float, default=10.0, help="how long faults are injected (default 10)")
    parser.add_argument("--orders-per-s", type=float, default=2.0)
    parser.add_argument("--var", type=Path, default=Path("var/soak"), help="data and logs of the run")
    args = parser.parse_args()
    shutil.rmtree(args.var, ignore_errors=True)
    report = run_under_faults(args.var, duration_s=args.minutes * 60, orders_per_s=args.orders_per_s,
                              say=lambda line: print(line, flush=True))  # fmt: skip
    print(report.table(), flush=True)
    return 1 if report.findings.problems else 0


if __name__ == "__main__":
    sys.exit(main())

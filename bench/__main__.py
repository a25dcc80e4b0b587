"""`make bench`: measure Haat against the raw limits of the same machine, in the same run.

Prints one table and writes bench/results/latest.{json,md}. `--quick` is the small smoke run that the
test suite executes; absolute numbers on these shared machines are noisy, the ratios are the result.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path

from bench.figures import Figure, Sizes, cores, measure_all
from haat_testkit.run_secrets import use_random_secrets

RESULTS = Path(__file__).parent / "results"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a small smoke run (seconds, not minutes)")
    parser.add_argument("--messages", type=int, help="messages per figure (default 50000, quick 2000)")
    parser.add_argument("--postgres", help="PostgreSQL maintenance URL (default: HAAT_TEST_DATABASE_URL or local)")
    parser.add_argument("--soak-s", type=float, help="seconds of the pipeline soak (default 600, quick 10)")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where to write latest.json and latest.md")
    args = parser.parse_args(argv)
    use_random_secrets()
    messages = args.messages or (2000 if args.quick else 50000)
    sizes = Sizes.quick(messages) if args.quick else Sizes(messages=messages)
    if args.soak_s:
        sizes = dataclasses.replace(sizes, soak_s=args.soak_s)

    figures = measure_all(sizes=sizes, postgres_url=args.postgres, progress=_progress)
    machine = f"{platform.machine()}, {cores()} cores, Python {platform.python_version()}"
    table = render_table(figures, machine, messages)
    print(table)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "latest.md").write_text(table + "\n")
    (args.out / "latest.json").write_text(
        json.dumps(
            {
                "measured_at": datetime.now(UTC).isoformat(),
                "machine": machine,
                "messages": messages,
                "figures": [f.as_dict() for f in figures],
            },
            indent=2,
        )
        + "\n"
    )
    return 0


def render_table(figures: list[Figure], machine: str, messages: int) -> str:
    lines = [
        f"Measured {datetime.now(UTC):%Y-%m-%d} on {machine}; {messages:,} messages of ~500 bytes per figure.",
        "",
        "| figure | measured | limit it is measured against (same run) | ratio | target |",
        "|---|---|---|---|---|",
    ]
    for f in figures:
        ratio = f"{f.ratio:.0%}" if f.ratio is not None else "—"
        baseline = f"{f.baseline_name}: {_number(f.baseline)} {f.baseline_unit or f.unit}"
        lines.append(f"| {f.name} | {_number(f.value)} {f.unit} | {baseline} | {ratio} | {f.target} |")
    return "\n".join(lines)


def _number(value: float) -> str:
    """Whole numbers from 100 up; small ones (a few ms, a few orders a second) keep a decimal."""
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.1f}"


def _progress(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())

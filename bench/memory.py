"""Resident memory of every process of a running system (the launcher's children, by what they run),
sampled in a thread: whether each stays flat under load; and the CPU time each has used."""

from __future__ import annotations

import os
import threading
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from haat_testkit.processes import descendants

PROC = Path("/proc")


def rss_mb(pid: int) -> float | None:
    try:
        for line in (PROC / str(pid) / "status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(root_pid: int) -> dict[str, float]:
    """name → CPU seconds (user + system) used so far by each process below `root_pid`."""
    used = {}
    for pid, name in descendants(root_pid).items():
        try:
            fields = (PROC / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        used[name] = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime
    return used


class MemorySampler:
    def __init__(self, root_pid: int) -> None:
        self.root_pid = root_pid
        self.samples: dict[str, list[float]] = defaultdict(list)

    def sample(self) -> None:
        for pid, name in descendants(self.root_pid).items():
            if (rss := rss_mb(pid)) is not None:
                self.samples[name].append(rss)

    @contextmanager
    def sampling(self, interval_s: float) -> Iterator[MemorySampler]:
        stop = threading.Event()

        def run() -> None:
            while True:
                self.sample()
                if stop.wait(interval_s):
                    self.sample()
                    return

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            stop.set()
            thread.join(10)

    def summary(self) -> dict[str, tuple[float, float, float]]:
        """name → (mean of the first sixth of the samples, mean of the last sixth, peak), in MB."""
        result = {}
        for name, values in sorted(self.samples.items()):
            sixth = max(1, len(values) // 6)
            result[name] = (sum(values[:sixth]) / sixth, sum(values[-sixth:]) / sixth, max(values))
        return result

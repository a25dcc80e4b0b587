"""Percentiles of measured times, by nearest rank: p99 of 100 samples is the 99th smallest, not the largest."""

from __future__ import annotations

import math


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]

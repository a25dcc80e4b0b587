"""Percentiles of measured times (nearest rank: the value below which the share of the samples lies)."""

from __future__ import annotations


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]

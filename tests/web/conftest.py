"""On a failed browser test, every page it had open is saved (screenshot and text) beside the review
screenshots, and its address and text are printed: what the person would have seen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

OPEN_PAGES: list[Any] = []
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    outcome = yield
    report = outcome.get_result()
    if report.when != "call":
        return
    if report.failed:
        for n, page in enumerate(OPEN_PAGES):
            try:
                page.screenshot(path=SHOTS / f"failure-{item.name}-{n}.png", full_page=True)
                text = page.inner_text("body")[:1500]
                report.sections.append((f"page {n}: {page.url}", text))
            except Exception as error:
                report.sections.append((f"page {n}", f"could not be saved: {error}"))
    OPEN_PAGES.clear()

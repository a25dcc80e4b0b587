"""Every service keeps one shape (DESIGN.md; issue 18): SQL and HTTP clients live in `adapters/`; the
domain knows no framework; use cases refuse with domain errors, not HTTP problems. Read from the source,
so that a line in the wrong room fails here, not in review."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.fast

ROOT = Path(__file__).resolve().parents[1]
SERVICES = sorted(p for p in (ROOT / "services").glob("*/haat_*") if p.is_dir() and p.name == f"haat_{p.parent.name}")
# What marks a line as belonging in adapters/: SQL statements, a session's queries, HTTP problems, HTTP clients.
OUT_OF_PLACE = re.compile(r"\bselect\(|\.execute\(|\bProblem\(|\baiohttp\b|\bsession\.(scalar|scalars|get_bind)\(")
FRAMEWORKS = ("sqlalchemy", "fastapi", "starlette", "aiohttp", "httpx", "kafka", "pydantic_settings")


def _modules(room: str) -> list[Path]:
    return sorted(path for service in SERVICES for path in (service / room).rglob("*.py"))


def test_every_service_has_the_four_rooms():
    assert [s.parent.name for s in SERVICES] == ["catalog", "connectors", "gateway", "orders"]
    for service in SERVICES:
        for room in ("domain", "service_layer", "adapters", "entrypoints"):
            assert (service / room / "__init__.py").exists(), f"{service.name} has no {room}/"


@pytest.mark.parametrize("room", ["domain", "service_layer"])
def test_no_sql_http_problem_or_http_client_outside_adapters(room):
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in _modules(room)
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if OUT_OF_PLACE.search(line)
    ]
    assert not found, "\n".join(found)


def test_no_table_is_imported_outside_adapters():
    rooms = [*_modules("domain"), *_modules("service_layer"), *_modules("entrypoints")]
    found = [
        f"{path.relative_to(ROOT)}: imports {node.module}"
        for path in rooms
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.ImportFrom) and node.module and node.module.endswith((".tables", ".orm"))
    ]
    assert not found, "\n".join(found)


def test_the_domain_is_framework_free():
    found = [
        f"{path.relative_to(ROOT)}: imports {name}"
        for path in _modules("domain")
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Import | ast.ImportFrom)
        for name in ([a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""])
        if name.split(".")[0] in FRAMEWORKS
    ]
    assert not found, "\n".join(found)

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


def _mentions(text: str, module: str, name: str) -> bool:
    """Whether `text` calls `module.name` or imports `name` from `module`."""
    if re.search(rf"\b{module}\.{name}\b", text):
        return True
    imports = re.finditer(rf"from [\w.]*\b{module} import \(?([^)\n]*(?:\n[^)\n]*)*?)\)?\n", text)
    return any(re.search(rf"\b{name}\b", found.group(1)) for found in imports)


def _is_query(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """A read answered by the service's read models (`views.…`) alone: it touches no repository of the unit
    of work. Reads are SQL by nature and are tested on PostgreSQL (cosmicpython keeps its views there too)."""
    names = [n for n in ast.walk(function) if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name)]
    return any(n.value.id == "views" for n in names) and not any(n.value.id == "uow" for n in names)


def test_the_fast_tier_runs_every_use_case():
    """Every command and event handler a door calls (a function of `service_layer/` taking the unit of work that
    an entrypoint or a job names) is run by a fast test of its service, on in-memory repositories."""
    missing = []
    for service in SERVICES:
        tests = service.parent / "tests"
        fast = "".join(t.read_text() for t in tests.glob("*.py") if "pytest.mark.fast" in t.read_text())
        doors = "".join(p.read_text() for p in service.rglob("*.py") if "service_layer" not in p.parts)
        for module in sorted((service / "service_layer").glob("*.py")):
            for node in ast.parse(module.read_text()).body:
                if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) or node.name.startswith("_"):
                    continue
                takes_uow = bool(node.args.args) and node.args.args[0].arg == "uow"
                a_door_calls_it = takes_uow and _mentions(doors, module.stem, node.name) and not _is_query(node)
                if a_door_calls_it and not _mentions(fast, module.stem, node.name):
                    missing.append(f"{service.parent.name}: {module.stem}.{node.name}")
    assert not missing, "use cases no fast test runs:\n" + "\n".join(missing)

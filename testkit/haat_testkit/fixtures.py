"""pytest fixtures: a PostgreSQL server with per-test databases, a fresh embedded broker per test, and
service runtimes wired to both exactly as in production (migrations included)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from haat.broker import EmbeddedBroker, free_port
from haat.kafka.admin import ensure_topics
from haat.service import ServiceRuntime, discover_services
from haat.settings import CommonSettings, ServiceSettings
from haat_testkit.connectors import Sandboxes, running_sandboxes
from haat_testkit.postgres import DatabaseFactory, postgres_server
from haat_testkit.run_secrets import use_random_secrets

# Fast group joins on the embedded broker (shared/kafka-notes.md).
TEST_KAFKA_SETTINGS = {"kafka_session_timeout_ms": 2000, "kafka_heartbeat_interval_ms": 500}


def pytest_configure(config: pytest.Config) -> None:
    use_random_secrets()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    with postgres_server() as url:
        yield url


@pytest.fixture(scope="session")
def databases(postgres_url: str) -> Iterator[DatabaseFactory]:
    factory = DatabaseFactory(postgres_url)
    yield factory
    factory.drop_all()


@pytest.fixture
def broker() -> Iterator[EmbeddedBroker]:
    """A fresh, empty broker per test: the embedded broker keeps everything in memory."""
    with EmbeddedBroker(free_port()) as embedded:
        yield embedded


ServiceFactory = Callable[..., ServiceRuntime]


@pytest.fixture
def service_settings(broker: EmbeddedBroker, databases: DatabaseFactory) -> Callable[..., ServiceSettings]:
    """Settings for a named service on a new PostgreSQL database and this test's broker."""

    def make(name: str, **overrides: Any) -> ServiceSettings:
        definition = discover_services()[name]
        values: dict[str, Any] = {
            "environment": "test",
            "database_url": databases.create(f"haat_{name}"),
            "kafka_bootstrap_servers": broker.bootstrap_servers,
            "run_workers": False,
            "outbox_poll_interval_s": 0.05,
            **TEST_KAFKA_SETTINGS,
        }
        values.update(overrides)
        return definition.settings_class(**values)

    return make


@pytest.fixture
def service(broker: EmbeddedBroker, service_settings: Callable[..., ServiceSettings]) -> Iterator[ServiceFactory]:
    """Factory: `service("orders")` → a migrated ServiceRuntime; stopped after the test."""
    runtimes: list[ServiceRuntime] = []
    ensure_topics(CommonSettings(kafka_bootstrap_servers=broker.bootstrap_servers))

    def make(name: str, **overrides: Any) -> ServiceRuntime:
        definition = discover_services()[name]
        runtime = ServiceRuntime(definition, service_settings(name, **overrides))
        runtime.migrate()
        runtimes.append(runtime)
        return runtime

    yield make
    for runtime in runtimes:
        runtime.stop()


def subprocess_env(settings: ServiceSettings, **extra: str) -> dict[str, str]:
    """Environment for a `haat` child process that should see exactly these settings."""
    prefix = f"HAAT_{settings.service_name.upper()}_"
    env = {k: v for k, v in os.environ.items() if not k.startswith("HAAT_")}
    env.update(
        {
            "HAAT_ENVIRONMENT": settings.environment,
            "HAAT_KAFKA_BOOTSTRAP_SERVERS": settings.kafka_bootstrap_servers,
            "HAAT_KAFKA_SESSION_TIMEOUT_MS": str(settings.kafka_session_timeout_ms),
            "HAAT_KAFKA_HEARTBEAT_INTERVAL_MS": str(settings.kafka_heartbeat_interval_ms),
            "HAAT_OUTBOX_POLL_INTERVAL_S": str(settings.outbox_poll_interval_s),
            "HAAT_LOG_FORMAT": "json",
            "HAAT_INTERNAL_TOKEN_SECRET": settings.internal_token_secret.get_secret_value(),
            "HAAT_ENCRYPTION_KEYS": settings.encryption_keys.get_secret_value(),
            prefix + "DATABASE_URL": settings.database_url,
        }
    )
    env.update(extra)
    return env


# The sandbox marketplaces, started as `make run` starts them (for the connectors' and the sandboxes' tests).
@pytest.fixture
def sandboxes() -> Iterator[Sandboxes]:
    """Both sandbox marketplaces at their published quotas (listings processed in ~0.2 s)."""
    with running_sandboxes() as running:
        yield running


@pytest.fixture
def fast_sandboxes() -> Iterator[Sandboxes]:
    """Both sandboxes with every quota x 10, so that a thousand listings take seconds, not minutes."""
    with running_sandboxes(quota_scale=10) as running:
        yield running


@pytest.fixture
def quota_sandboxes() -> Iterator[Sandboxes]:
    """Quotas x 5: fast enough for a thousand listings in a test, slow enough that this small, busy
    machine (two cores shared by PostgreSQL, the broker, both sandboxes and the suite) keeps the pace."""
    with running_sandboxes(quota_scale=5) as running:
        yield running

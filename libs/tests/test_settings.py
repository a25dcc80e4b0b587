from pathlib import Path

import pytest
from pydantic import ValidationError

from haat.cli.launcher import make_local_secrets
from haat.settings import PUBLISHED_SECRET, CommonSettings
from haat_catalog.settings import CatalogSettings
from haat_orders.settings import OrdersSettings


def _no_haat_environment(monkeypatch):
    for name in list(__import__("os").environ):
        if name.startswith("HAAT_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HAAT_VAR_DIR", "var")  # relative to the test's own directory


def test_haat_finds_the_checkouts_var_from_any_directory(monkeypatch, tmp_path):
    for name in list(__import__("os").environ):
        if name.startswith("HAAT_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)  # run elsewhere, it once made an empty var/ there and printed a useless key
    checkout = Path(__file__).resolve().parents[2]
    assert CommonSettings().var_dir == checkout / "var"


def test_embedded_defaults_with_the_secrets_of_the_local_run(monkeypatch, tmp_path):
    _no_haat_environment(monkeypatch)
    monkeypatch.chdir(tmp_path)
    make_local_secrets(Path("var"))
    settings = CatalogSettings()
    assert settings.port == 8001
    assert settings.database_url == "sqlite:///var/catalog.db"
    assert settings.kafka_bootstrap_servers == "127.0.0.1:9092"
    assert len(settings.internal_token_secret.get_secret_value()) >= 32
    assert (tmp_path / "var/secrets/internal_token_secret").stat().st_mode & 0o077 == 0  # the user's alone


def test_each_local_run_signs_with_a_new_secret_and_keeps_its_encryption_key(monkeypatch, tmp_path):
    _no_haat_environment(monkeypatch)
    monkeypatch.chdir(tmp_path)
    make_local_secrets(Path("var"))
    first = CatalogSettings()
    make_local_secrets(Path("var"))
    second = CatalogSettings()
    assert first.internal_token_secret != second.internal_token_secret  # a token of the last run is worthless
    assert first.encryption_keys == second.encryption_keys  # what it sealed in var/ still opens


def test_a_local_run_makes_its_secrets_and_any_other_refuses_to_start_without_them(monkeypatch, tmp_path):
    _no_haat_environment(monkeypatch)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ValidationError, match="HAAT_INTERNAL_TOKEN_SECRET is not set"):
        CatalogSettings(environment="test")
    monkeypatch.setenv("HAAT_INTERNAL_TOKEN_SECRET", "a-real-secret")
    with pytest.raises(ValidationError, match="HAAT_ENCRYPTION_KEYS is not set"):
        CatalogSettings(environment="test")
    assert not (tmp_path / "var").exists(), "only a local run keeps secrets in var/"
    monkeypatch.delenv("HAAT_INTERNAL_TOKEN_SECRET")
    local = CatalogSettings()  # development: `haat migrate`, `haat api-key` … on this machine
    assert len(local.encryption_keys.get_secret_value()) >= 32
    assert (tmp_path / "var/secrets/encryption_keys").stat().st_mode & 0o077 == 0


@pytest.mark.parametrize("environment", ["development", "test", "production"])
def test_the_published_secret_is_refused_everywhere(monkeypatch, environment):
    monkeypatch.setenv("HAAT_INTERNAL_TOKEN_SECRET", PUBLISHED_SECRET)
    with pytest.raises(ValidationError, match="earlier versions published"):
        CommonSettings(environment=environment)
    monkeypatch.setenv("HAAT_INTERNAL_TOKEN_SECRET", "a-real-secret")
    monkeypatch.setenv("HAAT_ENCRYPTION_KEYS", f"new-key,{PUBLISHED_SECRET}")
    with pytest.raises(ValidationError, match="HAAT_ENCRYPTION_KEYS is the secret"):
        CommonSettings(environment=environment)


def test_shared_settings_apply_to_every_service_and_service_prefix_wins(monkeypatch):
    monkeypatch.setenv("HAAT_KAFKA_BOOTSTRAP_SERVERS", "kafka-1:9092,kafka-2:9092")
    monkeypatch.setenv("HAAT_ORDERS_KAFKA_BOOTSTRAP_SERVERS", "orders-kafka:9092")
    assert CatalogSettings().kafka_bootstrap_servers == "kafka-1:9092,kafka-2:9092"
    assert OrdersSettings().kafka_bootstrap_servers == "orders-kafka:9092"


def test_a_shared_database_url_is_not_taken_by_every_service(monkeypatch):
    monkeypatch.setenv("HAAT_DATABASE_URL", "postgresql://shared/db")
    monkeypatch.setenv("HAAT_CATALOG_DATABASE_URL", "postgresql://db/catalog")
    assert CatalogSettings().database_url == "postgresql://db/catalog"
    assert OrdersSettings().database_url.startswith("sqlite")


def test_production_refuses_sqlite(monkeypatch):
    monkeypatch.setenv("HAAT_INTERNAL_TOKEN_SECRET", "a-real-secret")
    monkeypatch.setenv("HAAT_ENCRYPTION_KEYS", "a-real-encryption-key")
    monkeypatch.setenv("HAAT_KAFKA_BOOTSTRAP_SERVERS", "kafka-1:9092")
    with pytest.raises(ValidationError, match="production needs PostgreSQL"):
        CatalogSettings(environment="production")


def test_production_refuses_a_missing_secret(monkeypatch):
    monkeypatch.delenv("HAAT_INTERNAL_TOKEN_SECRET", raising=False)
    monkeypatch.setenv("HAAT_KAFKA_BOOTSTRAP_SERVERS", "kafka-1:9092")
    with pytest.raises(ValidationError, match="HAAT_INTERNAL_TOKEN_SECRET"):
        CatalogSettings(environment="production", database_url="postgresql://db/catalog")


def test_production_refuses_the_embedded_broker(monkeypatch):
    monkeypatch.setenv("HAAT_INTERNAL_TOKEN_SECRET", "a-real-secret")
    monkeypatch.setenv("HAAT_ENCRYPTION_KEYS", "a-real-encryption-key")
    with pytest.raises(ValidationError, match="Apache Kafka"):
        CatalogSettings(environment="production", database_url="postgresql://db/catalog")
    with pytest.raises(ValidationError, match="Apache Kafka"):
        CatalogSettings(
            environment="production",
            database_url="postgresql://db/c",
            kafka_bootstrap_servers="kafka:9092,localhost:9092",
        )


def test_production_with_real_settings_is_accepted(monkeypatch):
    monkeypatch.setenv("HAAT_INTERNAL_TOKEN_SECRET", "a-real-secret")
    monkeypatch.setenv("HAAT_ENCRYPTION_KEYS", "a-real-encryption-key")
    monkeypatch.setenv("HAAT_KAFKA_BOOTSTRAP_SERVERS", "kafka-1:9092,kafka-2:9092")
    settings = CatalogSettings(environment="production", database_url="postgresql://db/catalog")
    assert settings.is_production

import pytest
from pydantic import ValidationError

from haat_catalog.settings import CatalogSettings
from haat_orders.settings import OrdersSettings


def test_embedded_defaults(monkeypatch):
    for name in list(__import__("os").environ):
        if name.startswith("HAAT_"):
            monkeypatch.delenv(name)
    settings = CatalogSettings()
    assert settings.port == 8001
    assert settings.database_url == "sqlite:///var/catalog.db"
    assert settings.kafka_bootstrap_servers == "127.0.0.1:9092"


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


def test_production_refuses_the_development_secret(monkeypatch):
    monkeypatch.delenv("HAAT_INTERNAL_TOKEN_SECRET", raising=False)
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

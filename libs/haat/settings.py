"""Configuration: pydantic-settings with the HAAT_ prefix; defaults are the embedded (single machine) run.

`CommonSettings` holds what all services share (broker, environment, secrets);
each service subclasses `ServiceSettings` with its own prefix, e.g. HAAT_CATALOG_DATABASE_URL.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any, Literal, Self

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, EnvSettingsSource, PydanticBaseSettingsSource, SettingsConfigDict

# The secret earlier versions shipped as a default: it is public, so it is refused wherever it turns up.
PUBLISHED_SECRET = "haat-development-secret-change-me"  # noqa: S105 - refused everywhere
SECRET_FIELDS = ("internal_token_secret", "encryption_keys")


class InsecureConfiguration(ValueError):
    """A setting that is fine on a laptop but must never reach production."""


def default_var_dir() -> Path:
    """Where local state lives when HAAT_VAR_DIR does not say: the `var` of the checkout this library runs
    from (so `haat` finds the same databases and keys from any directory), else `var` here."""
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / "Makefile").is_file() and (checkout / "services").is_dir():
        return checkout / "var"
    return Path("var")


class CommonSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HAAT_", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    var_dir: Path = Field(
        default_factory=default_var_dir, json_schema_extra={"shown": "var"},
        description="local state (SQLite files, keys, logs): var/ of the checkout haat runs from",
    )  # fmt: skip
    kafka_bootstrap_servers: str = "127.0.0.1:9092"
    # The embedded broker holds a JoinGroup for session_timeout/2 (shared/kafka-notes.md): short sessions
    # join in ~3 s there; Apache Kafka in production should use its own defaults (45000/3000).
    kafka_session_timeout_ms: int = 6000
    kafka_heartbeat_interval_ms: int = 2000
    kafka_topic_partitions: int = 4
    kafka_replication_factor: int = 1
    kafka_retention_hours: float = 7 * 24  # events; dead letters are kept kafka_dlq_retention_hours
    kafka_dlq_retention_hours: float = 30 * 24
    kafka_producer_batch_size: int = 262144
    kafka_producer_linger_ms: int = 5
    consumer_max_attempts: int = 3
    outbox_batch_size: int = 500
    outbox_poll_interval_s: float = 0.2
    outbox_retention_hours: float = 72.0
    # How often each relay checks that the broker still holds what it was sent (haat.messaging.incarnation).
    broker_check_interval_s: float = 5.0
    # Signs the tokens services trust (X-Haat-Caller) and staff sessions. No default: a deployment sets it,
    # and a local run (`haat up`) makes a new random one each time (local_secrets).
    internal_token_secret: SecretStr = SecretStr("")
    # Keys that encrypt stored credentials (marketplace secrets, webhook secrets), comma-separated: the first
    # encrypts, every one decrypts, so a key is rotated by putting the new one first (haat.secret_box).
    # A local run makes one once and keeps it in var/secrets/, since what it sealed stays in var/.
    encryption_keys: SecretStr = SecretStr("")
    log_level: str = "INFO"
    log_format: Literal["json", "console"] = "json"

    @property
    def is_production(self) -> bool:
        return self.environment == "production"

    @property
    def is_local_run(self) -> bool:
        """An explicit local development run (`haat up` on this machine), the only one that may read the
        secrets `haat up` keeps in var/secrets/."""
        return self.environment == "development"

    @model_validator(mode="after")
    def _secrets(self) -> Self:
        for name in SECRET_FIELDS:
            value = getattr(self, name).get_secret_value()
            if not value and self.is_local_run:
                value = local_secret(self.var_dir, name)
                setattr(self, name, SecretStr(value))
            if PUBLISHED_SECRET in value.split(","):
                raise InsecureConfiguration(
                    f"HAAT_{name.upper()} is the secret earlier versions published: set a random one "
                    "(`haat up` makes its own)"
                )
        return self

    def require_secrets(self) -> None:
        """Refuse to run a service without its secrets (tools that only reach the broker need none)."""
        for name in SECRET_FIELDS:
            if not getattr(self, name).get_secret_value():
                raise InsecureConfiguration(
                    f"HAAT_{name.upper()} is not set: set a random value (a local `haat up` makes its own)"
                )

    @model_validator(mode="after")
    def _refuse_development_defaults_in_production(self) -> Self:
        if not self.is_production:
            return self
        hosts = {address.strip().rpartition(":")[0].strip("[]") for address in self.kafka_bootstrap_servers.split(",")}
        if hosts & {"127.0.0.1", "localhost", "::1"}:
            raise InsecureConfiguration(
                "production needs an Apache Kafka cluster (HAAT_KAFKA_BOOTSTRAP_SERVERS); "
                "the embedded broker on this machine is for development"
            )
        return self


class _SharedEnvSource(EnvSettingsSource):
    """The HAAT_-prefixed variables of the shared settings (broker, environment, …) for every service.

    Only CommonSettings' fields are read this way: HAAT_DATABASE_URL must not point all services at one
    database, so per-service fields come only from HAAT_<SERVICE>_….
    """

    def __call__(self) -> dict[str, Any]:
        values = super().__call__()
        return {k: v for k, v in values.items() if k in CommonSettings.model_fields}


class ServiceSettings(CommonSettings):
    """Settings of one service. Subclasses set `service_name` and the env prefix HAAT_<SERVICE>_.

    A shared setting can be given once as HAAT_X or per service as HAAT_<SERVICE>_X (which wins).
    """

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        shared = _SharedEnvSource(settings_cls, env_prefix="HAAT_")
        return init_settings, env_settings, shared, dotenv_settings, file_secret_settings

    service_name: str = "service"
    host: str = "127.0.0.1"
    port: int = 8000
    database_url: str = ""
    run_workers: bool = Field(default=True, description="run the outbox relay and consumers in the API process")
    max_request_bytes: int = Field(25 * 1024 * 1024, description="larger request bodies are refused with 413")
    trusted_proxies: list[str] = Field(
        default_factory=list, description="addresses (or CIDRs) of reverse proxies whose X-Forwarded-For is believed"
    )

    @model_validator(mode="after")
    def _needs_secrets(self) -> Self:
        self.require_secrets()
        return self

    @model_validator(mode="after")
    def _default_database(self) -> Self:
        if not self.database_url:
            self.database_url = f"sqlite:///{self.var_dir / (self.service_name + '.db')}"
        if self.is_production and self.database_url.startswith("sqlite"):
            raise InsecureConfiguration(
                f"{self.service_name}: SQLite is the embedded default; production needs PostgreSQL "
                f"(set HAAT_{self.service_name.upper()}_DATABASE_URL)"
            )
        return self

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"


def secrets_dir(var_dir: Path) -> Path:
    return var_dir / "secrets"


def local_secret(var_dir: Path, name: str) -> str:
    """A secret of this machine's local run, kept in var/secrets/ (readable by this user only) and made at
    its first use: `haat up` renews the token secret every run, the encryption key stays."""
    path = secrets_dir(var_dir) / name
    if not path.is_file():
        write_secret(path)
    return path.read_text().strip()


def write_secret(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.parent.chmod(0o700)
    path.touch(mode=0o600)
    path.write_text(secrets.token_urlsafe(32))

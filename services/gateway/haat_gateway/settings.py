from typing import Self

from pydantic import Field, model_validator
from pydantic_settings import SettingsConfigDict

from haat.settings import InsecureConfiguration, ServiceSettings

# Standard Webhooks' schedule: at once, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (about a day in all).
RETRY_SCHEDULE_S = [0.0, 5.0, 300.0, 1800.0, 7200.0, 18000.0, 36000.0, 36000.0]


class GatewaySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="HAAT_GATEWAY_", extra="ignore")

    service_name: str = "gateway"
    port: int = 8000
    # Where the internal services answer (the gateway is the only public door).
    catalog_url: str = "http://127.0.0.1:8001"
    orders_url: str = "http://127.0.0.1:8002"
    connectors_url: str = "http://127.0.0.1:8003"
    upstream_timeout_s: float = 60.0
    # Abuse limits: token buckets per credential and per client address
    rate_per_key_per_s: float = 20.0
    rate_burst_per_key: int = 60
    rate_per_ip_per_s: float = 50.0
    rate_burst_per_ip: int = 150
    idempotency_hours: float = 24.0
    # Staff log-in
    access_token_minutes: int = 30
    login_max_failures: int = 5
    login_lockout_minutes: int = 15
    # Webhooks
    webhook_allow_private: bool = Field(
        default=False, description="deliver to private, loopback and link-local addresses (demo and tests only)"
    )
    webhook_allowed_hosts: list[str] = Field(default_factory=list, description="hosts allowed whatever they resolve to")
    webhook_retry_schedule_s: list[float] = Field(default_factory=lambda: list(RETRY_SCHEDULE_S))
    webhook_timeout_s: float = 15.0
    webhook_disable_after_s: float = 5 * 24 * 3600
    webhook_secret_grace_s: float = 24 * 3600
    webhook_poll_interval_s: float = 0.2
    webhook_max_concurrency: int = 4
    webhook_rate_per_s: float = 20.0

    @model_validator(mode="after")
    def _no_private_webhooks_in_production(self) -> Self:
        if self.is_production and self.webhook_allow_private:
            raise InsecureConfiguration("HAAT_GATEWAY_WEBHOOK_ALLOW_PRIVATE must be false in production")
        return self

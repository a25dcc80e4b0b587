from typing import Self

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import SettingsConfigDict

from haat.settings import ServiceSettings, local_secret


class ConnectorsSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="HAAT_CONNECTORS_", extra="ignore")

    service_name: str = "connectors"
    port: int = 8003
    # Where each marketplace is: the sandboxes by default, the real APIs by configuration only.
    amazon_api_url: str = Field("http://127.0.0.1:8101", description="SP-API regional endpoint")
    amazon_auth_url: str = Field("http://127.0.0.1:8101/auth/o2/token", description="Login with Amazon token URL")
    flipkart_api_url: str = Field("http://127.0.0.1:8102", description="Flipkart seller API base URL")
    # Quotas: the published ones times this factor (the sandboxes' own --quota-scale must match; 1 in production).
    quota_scale: float = 1.0
    flipkart_rate_per_s: float = Field(10.0, description="Flipkart publishes no limit: the agreed one")
    flipkart_burst: int = 20
    request_timeout_s: float = 20.0
    max_attempts: int = Field(6, description="tries of one marketplace call on 429, 5xx and time-outs")
    order_poll_interval_s: float = Field(60.0, description="orders are pulled this often (Amazon: 1/min quota)")
    listing_verify_after_s: float = Field(120.0, description="ask for a pending listing's status after this")
    sync_concurrency: int = Field(16, description="calls in flight per seller account")
    lease_s: float = Field(30.0, description="a replica owns a seller account this long between renewals")
    notification_url: str = Field("", description="where the sandboxes push notifications (demo run)")
    amazon_notification_secret: SecretStr = Field(
        SecretStr(""),
        description="shared secret of a sandbox's legacy HTTP destination for Amazon notifications; empty: none "
        "taken over HTTP (the real Amazon delivers through SQS)",
    )
    image_base_url: str = Field("http://127.0.0.1:8000", description="public address the photos' paths are under")
    demo_orders_per_minute: float = Field(2.0, description="embedded run: buyer orders the sandboxes place (0: off)")

    @model_validator(mode="after")
    def _local_notification_secret(self) -> Self:
        # A local run's sandboxes are subscribed with the secret `haat up` made for this run.
        if not self.amazon_notification_secret.get_secret_value() and self.is_local_run:
            self.amazon_notification_secret = SecretStr(local_secret(self.var_dir, "amazon_notification_secret"))
        return self

from typing import Self
from urllib.parse import urlsplit

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
    # Amazon delivers notifications to an SQS queue of ours (createDestination + createSubscription per seller);
    # empty: no queue is read and Amazon's orders are learnt by polling alone.
    amazon_notification_queue_url: str = Field(
        "",
        description="SQS queue URL Amazon's notifications arrive on; empty: none read (orders by polling)",
        json_schema_extra={"shown": "(embedded run: a queue on the local SQS stand-in)"},
    )
    sqs_endpoint_url: str = Field(
        "",
        description="SQS endpoint; empty: AWS's own for aws_region (set for a stand-in)",
        json_schema_extra={"shown": "(embedded run: http://127.0.0.1:8104, moto)"},
    )
    aws_region: str = Field("eu-west-1", description="the queue's AWS region (India's SP-API is served from Europe)")
    aws_access_key_id: str = Field(
        "",
        description="the queue reader's own key; empty: the AWS SDK's default chain",
        json_schema_extra={"shown": "(none: the AWS SDK's chain)"},
    )
    aws_secret_access_key: SecretStr = Field(
        SecretStr(""),
        description="the queue reader's secret key",
        json_schema_extra={"shown": "(none: the AWS SDK's chain)"},
    )
    amazon_queue_wait_s: int = Field(20, ge=0, le=20, description="SQS long polling: wait this long for a message")
    image_base_url: str = Field("http://127.0.0.1:8000", description="public address the photos' paths are under")
    demo_orders_per_minute: float = Field(2.0, description="embedded run: buyer orders the sandboxes place (0: off)")

    @model_validator(mode="after")
    def _local_notification_secret(self) -> Self:
        # A local run's sandboxes are subscribed with the secret `haat up` made for this run.
        if not self.amazon_notification_secret.get_secret_value() and self.is_local_run:
            self.amazon_notification_secret = SecretStr(local_secret(self.var_dir, "amazon_notification_secret"))
        return self

    @model_validator(mode="after")
    def _local_notification_queue(self) -> Self:
        # A local run against the Amazon sandbox gets its queue on the embedded SQS stand-in (`haat up`
        # starts it), so that Amazon's notifications take the path they take in production.
        if self.is_local_run and not self.amazon_notification_queue_url and _is_local(self.amazon_api_url):
            self.sqs_endpoint_url = self.sqs_endpoint_url or EMBEDDED_SQS
            self.amazon_notification_queue_url = f"{self.sqs_endpoint_url}/{EMBEDDED_SQS_ACCOUNT}/{EMBEDDED_QUEUE}"
        if _is_local(self.sqs_endpoint_url) and not self.aws_access_key_id:  # a stand-in checks no keys
            self.aws_access_key_id, self.aws_secret_access_key = "sandbox", SecretStr("sandbox")
        return self


EMBEDDED_SQS = "http://127.0.0.1:8104"
EMBEDDED_SQS_ACCOUNT = "123456789012"  # the stand-in's account id
EMBEDDED_QUEUE = "haat-amazon-notifications"


def _is_local(url: str) -> bool:
    return urlsplit(url).hostname in ("127.0.0.1", "localhost")

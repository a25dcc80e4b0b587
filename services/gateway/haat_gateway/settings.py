from pydantic_settings import SettingsConfigDict

from haat.settings import ServiceSettings


class GatewaySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="HAAT_GATEWAY_", extra="ignore")

    service_name: str = "gateway"
    port: int = 8000
    # Where the internal services answer (the gateway is the only public door).
    catalog_url: str = "http://127.0.0.1:8001"
    orders_url: str = "http://127.0.0.1:8002"
    connectors_url: str = "http://127.0.0.1:8003"
    upstream_timeout_s: float = 60.0
    max_request_bytes: int = 25 * 1024 * 1024

from pydantic_settings import SettingsConfigDict

from haat.settings import ServiceSettings


class GatewaySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="HAAT_GATEWAY_", extra="ignore")

    service_name: str = "gateway"
    port: int = 8000

from pydantic_settings import SettingsConfigDict

from haat.settings import ServiceSettings


class ConnectorsSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="HAAT_CONNECTORS_", extra="ignore")

    service_name: str = "connectors"
    port: int = 8003

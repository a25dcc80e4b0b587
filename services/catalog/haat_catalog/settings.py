from pydantic_settings import SettingsConfigDict

from haat.settings import ServiceSettings


class CatalogSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="HAAT_CATALOG_", extra="ignore")

    service_name: str = "catalog"
    port: int = 8001

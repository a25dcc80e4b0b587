from pydantic_settings import SettingsConfigDict

from haat.settings import ServiceSettings


class OrdersSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="HAAT_ORDERS_", extra="ignore")

    service_name: str = "orders"
    port: int = 8002

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from haat.settings import ServiceSettings


class OrdersSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="HAAT_ORDERS_", extra="ignore")

    service_name: str = "orders"
    port: int = 8002
    # Settlement deductions, in basis points of the line's gross; "channel" or "channel:category" keys.
    marketplace_fee_bp: dict[str, int] = Field(
        default_factory=lambda: {"amazon": 900, "flipkart": 800, "amazon:handloom": 700, "flipkart:handloom": 600},
        description="marketplace commission by channel (or channel:category), basis points of the gross",
    )
    shipping_fee_paise: dict[str, int] = Field(
        default_factory=lambda: {"amazon": 4000, "flipkart": 3500},
        description="shipping charged per order by channel, shared over its lines by value",
    )
    tcs_bp: int = Field(50, description="GST TCS the marketplace collects, basis points of the taxable value")
    tds_bp: int = Field(10, description="income-tax TDS (section 194-O), basis points of the gross")
    connectors_url: str = Field("http://127.0.0.1:8003", description="where shipping labels are fetched from")
    connectors_timeout_s: float = 30.0

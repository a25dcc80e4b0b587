from pathlib import Path

from pydantic import model_validator
from pydantic_settings import SettingsConfigDict

from haat.settings import ServiceSettings


class CatalogSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="HAAT_CATALOG_", extra="ignore")

    service_name: str = "catalog"
    port: int = 8001
    image_root: Path | None = None  # default: <var_dir>/images
    image_max_bytes: int = 8 * 1024 * 1024
    image_max_pixels: int = 40_000_000
    thumbnail_px: int = 320

    @model_validator(mode="after")
    def _default_image_root(self) -> "CatalogSettings":
        if self.image_root is None:
            self.image_root = self.var_dir / "images"
        return self

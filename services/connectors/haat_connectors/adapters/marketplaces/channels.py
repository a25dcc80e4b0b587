"""The channels Haat can sell on, and how to build a client for one seller account."""

from __future__ import annotations

import importlib.metadata
import platform
from types import TracebackType
from typing import Any, Self

import aiohttp

from haat_connectors.adapters.marketplaces.amazon import GRANTLESS as AMAZON_GRANTLESS
from haat_connectors.adapters.marketplaces.amazon import QUOTAS as AMAZON_QUOTAS
from haat_connectors.adapters.marketplaces.amazon import Amazon, lwa_grantless_source, lwa_token_source
from haat_connectors.adapters.marketplaces.base import Account, Marketplace, Notification
from haat_connectors.adapters.marketplaces.flipkart import Flipkart, client_credentials_source
from haat_connectors.adapters.marketplaces.http import MarketplaceHttp
from haat_connectors.settings import ConnectorsSettings

CHANNELS: dict[str, type[Marketplace]] = {"amazon": Amazon, "flipkart": Flipkart}
CREDENTIAL_FIELDS = {
    "amazon": ("client_id", "client_secret", "refresh_token"),
    "flipkart": ("application_id", "application_secret"),
}
FLIPKART_OPERATIONS = (
    "updateListings", "updateInventory", "getListings", "filterShipments", "getShipments", "packShipments",
    "dispatchShipments", "cancelShipments", "getLabels",
)  # fmt: skip


def read_notification(channel: str, body: dict[str, object]) -> Notification:
    return CHANNELS[channel].read_notification(body)


def marketplace_for(account: Account, session: aiohttp.ClientSession, settings: ConnectorsSettings) -> Marketplace:
    common: dict[str, Any] = {"max_attempts": settings.max_attempts, "timeout_s": settings.request_timeout_s}
    if account.channel == "amazon":
        tokens = lwa_token_source(session, settings.amazon_auth_url, account.credentials)
        grantless = lwa_grantless_source(session, settings.amazon_auth_url, account.credentials)

        async def amazon_headers(operation: str) -> dict[str, str]:
            source = grantless if operation in AMAZON_GRANTLESS else tokens
            return {"x-amz-access-token": await source.token()}

        def invalidate() -> None:
            tokens.invalidate()
            grantless.invalidate()

        http = MarketplaceHttp(
            session, settings.amazon_api_url, seller=account.seller_id, quotas=AMAZON_QUOTAS,
            quota_scale=settings.quota_scale, authorise=amazon_headers, invalidate=invalidate, **common,
        )  # fmt: skip
        return Amazon(account, http, image_base_url=settings.image_base_url)
    if account.channel == "flipkart":
        fk_tokens = client_credentials_source(session, settings.flipkart_api_url, account.credentials)

        async def flipkart_headers(_operation: str) -> dict[str, str]:
            return {"authorization": f"Bearer {await fk_tokens.token()}"}

        # Flipkart's limit is one bucket per seller for every operation: one shared quota object.
        shared = (settings.flipkart_rate_per_s, settings.flipkart_burst)
        http = MarketplaceHttp(
            session, settings.flipkart_api_url, seller=account.seller_id,
            quotas=dict.fromkeys(FLIPKART_OPERATIONS, shared), quota_scale=settings.quota_scale,
            authorise=flipkart_headers, invalidate=fk_tokens.invalidate, **common,
        )  # fmt: skip
        http.share_bucket()
        return Flipkart(account, http, image_base_url=settings.image_base_url)
    raise ValueError(f"unknown channel {account.channel!r}")


def _user_agent() -> str:
    """What Amazon asks every caller to say: the application and its version, its language and platform."""
    try:
        version = importlib.metadata.version("haat-connectors")
    except importlib.metadata.PackageNotFoundError:
        version = "0"
    return f"Haat/{version} (Language=Python/{platform.python_version()}; Platform={platform.system()})"


USER_AGENT = _user_agent()


class MarketplaceClients:
    """The HTTP side of talking to the marketplaces: one aiohttp session (its connection pool shared by
    every seller account's client), open while used in `async with`."""

    def __init__(self, settings: ConnectorsSettings, *, connections: int = 100) -> None:
        self.settings = settings
        self.connections = connections
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> Self:
        self._session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=self.connections), headers={"User-Agent": USER_AGENT}
        )
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:  # fmt: skip
        if self._session is not None:
            await self._session.close()

    def for_account(self, account: Account) -> Marketplace:
        assert self._session is not None, "used inside `async with`"
        return marketplace_for(account, self._session, self.settings)

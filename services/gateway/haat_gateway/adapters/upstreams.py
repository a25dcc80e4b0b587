"""The gateway's HTTP client of the services it forwards to: one aiohttp session for all forwarding
(connection reuse), closed when the gateway stops."""

from __future__ import annotations

import aiohttp

from haat_gateway.settings import GatewaySettings


class Upstreams:
    def __init__(self, settings: GatewaySettings) -> None:
        self.settings = settings
        self._session: aiohttp.ClientSession | None = None

    def session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=self.settings.upstream_timeout_s), auto_decompress=False
            )
        return self._session

    def base_url(self, service: str) -> str:
        return str(getattr(self.settings, f"{service}_url")).rstrip("/")

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()

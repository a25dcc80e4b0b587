"""The HTTP side of webhook delivery: one signed POST per attempt (Standard Webhooks), through a resolver
that refuses non-public addresses at connection time, never following a redirect."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Self

import aiohttp
from standardwebhooks.webhooks import Webhook

from haat.secret_box import SecretBox
from haat_gateway.adapters.destinations import GuardedResolver
from haat_gateway.settings import GatewaySettings

Outcome = tuple[int | None, str | None, int]  # status (None: no answer), error, latency in ms


class WebhookSender:
    def __init__(self, settings: GatewaySettings) -> None:
        self.settings = settings
        self.box = SecretBox(settings.encryption_keys)  # endpoint secrets are stored encrypted
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> Self:
        resolver = GuardedResolver(
            allow_private=self.settings.webhook_allow_private, allowed_hosts=self.settings.webhook_allowed_hosts
        )
        connector = aiohttp.TCPConnector(resolver=resolver, limit=200)
        timeout = aiohttp.ClientTimeout(total=self.settings.webhook_timeout_s)
        self._session = aiohttp.ClientSession(connector=connector, timeout=timeout)
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:  # fmt: skip
        if self._session is not None:
            await self._session.close()

    async def send(self, delivery: Any) -> Outcome:
        """POST the delivery (a claimed row with its endpoint's url and sealed secrets)."""
        assert self._session is not None, "used inside `async with`"
        sent_at = datetime.now(UTC)
        secret = self.box.open_text(delivery.secret)
        signatures = [Webhook(secret).sign(delivery.id, sent_at, delivery.payload)]
        if delivery.previous_secret and delivery.previous_secret_until and delivery.previous_secret_until > sent_at:
            previous = self.box.open_text(delivery.previous_secret)
            signatures.append(Webhook(previous).sign(delivery.id, sent_at, delivery.payload))
        headers = {
            "content-type": "application/json",
            "webhook-id": delivery.id,
            "webhook-timestamp": str(int(sent_at.timestamp())),
            "webhook-signature": " ".join(signatures),
            "user-agent": "Haat-Webhooks/1.0",
        }
        started = time.perf_counter()
        try:
            # Redirects are never followed: a redirect to an address literal (169.254.169.254…) would not pass
            # through the resolver that keeps deliveries off private networks. A 3xx is a failed attempt.
            async with self._session.post(
                delivery.url, data=delivery.payload.encode(), headers=headers, allow_redirects=False
            ) as response:
                await response.read()
                moved = "redirects are not followed" if 300 <= response.status < 400 else None
                return response.status, moved, int((time.perf_counter() - started) * 1000)
        except TimeoutError:
            return None, "timed out", int((time.perf_counter() - started) * 1000)
        except (aiohttp.ClientError, OSError) as failure:
            return None, f"{type(failure).__name__}: {failure}"[:500], int((time.perf_counter() - started) * 1000)

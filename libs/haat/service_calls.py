"""One service calling another over HTTP on behalf of a caller: the caller signed into X-Haat-Caller, and an
unreachable or silent service turned into a refusal (answered 502 or 504 at the HTTP edge)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import aiohttp
from yarl import URL

from haat.errors import TimedOut, Unavailable
from haat.identity import HEADER, Caller, issue_token
from haat.settings import CommonSettings


def signed_caller(caller: Caller, settings: CommonSettings) -> dict[str, str]:
    """The header that tells a service who is calling (verified there with the shared secret)."""
    return {HEADER: issue_token(caller, settings.internal_token_secret.get_secret_value())}


@dataclass(frozen=True)
class ServiceAnswer:
    status: int
    headers: dict[str, str]
    body: bytes


async def call_service(
    session: aiohttp.ClientSession, owner: str, method: str, url: str | URL, *, caller: Caller,
    settings: CommonSettings, **request: Any,
) -> ServiceAnswer:  # fmt: skip
    headers = {**request.pop("headers", {}), **signed_caller(caller, settings)}
    try:
        async with session.request(method, url, headers=headers, **request) as answer:
            return ServiceAnswer(answer.status, dict(answer.headers), await answer.read())
    except TimeoutError:
        raise TimedOut("upstream-timeout", f"the {owner} service did not answer in time") from None
    except aiohttp.ClientError:
        raise Unavailable("upstream-unavailable", f"the {owner} service is not reachable; try again soon") from None

"""Where webhooks may go: no private, loopback, link-local or otherwise non-public address, checked on
every address a host resolves to, at registration and again at each connection (DNS can change), unless
the operator allows private addresses (demo, tests) or names the host in an allow-list.
"""

from __future__ import annotations

import ipaddress
import socket
from typing import Any
from urllib.parse import urlsplit

from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import ThreadedResolver


class ForbiddenDestination(ValueError):
    pass


def public_address(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def check_url(url: str, *, allow_private: bool, allowed_hosts: list[str], require_https: bool) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ForbiddenDestination("the URL must be http(s)://host/…")
    if require_https and parts.scheme != "https":
        raise ForbiddenDestination("webhook URLs must use https")
    if parts.username or parts.password:
        raise ForbiddenDestination("credentials in the URL are not accepted; verify our signature instead")
    if allow_private or parts.hostname in allowed_hosts:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, type=socket.SOCK_STREAM)
    except socket.gaierror:
        raise ForbiddenDestination(f"{parts.hostname} does not resolve") from None
    blocked = sorted({str(info[4][0]) for info in infos if not public_address(str(info[4][0]))})
    if blocked:
        raise ForbiddenDestination(f"{parts.hostname} resolves to a non-public address ({', '.join(blocked)})")


class GuardedResolver(AbstractResolver):
    """aiohttp resolver that refuses non-public addresses at connection time (DNS rebinding)."""

    def __init__(self, *, allow_private: bool, allowed_hosts: list[str]) -> None:
        self._inner = ThreadedResolver()
        self._allow_private = allow_private
        self._allowed_hosts = set(allowed_hosts)

    async def resolve(self, host: str, port: int = 0, family: Any = socket.AF_INET) -> list[ResolveResult]:
        results = await self._inner.resolve(host, port, family)
        if self._allow_private or host in self._allowed_hosts:
            return results
        public = [r for r in results if public_address(r["host"])]
        if not public:
            raise OSError(f"refusing to connect to {host}: it resolves to non-public addresses only")
        return public

    async def close(self) -> None:
        await self._inner.close()

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


# Special-purpose IPv4 blocks that some Python versions still count as global (IANA's registry): the
# IETF protocol block (192.0.0.8 and friends), benchmarking, and the reserved 240/4.
NOT_PUBLIC_V4 = tuple(ipaddress.ip_network(n) for n in ("192.0.0.0/24", "198.18.0.0/15", "240.0.0.0/4"))
GLOBAL_UNICAST_V6 = ipaddress.ip_network("2000::/3")


def public_address(address: str) -> bool:
    """Whether an address is a public unicast one. IPv6 forms that carry an IPv4 address inside (mapped,
    compatible, translated, NAT64, 6to4, Teredo) are judged by what they carry, or refused where a network
    would route them to it: only global unicast IPv6 (2000::/3) is let through at all."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return _public_v4(ip.ipv4_mapped)
        if ip not in GLOBAL_UNICAST_V6 or ip.teredo is not None:
            return False  # ::/96, ::ffff:0:0/96, 64:ff9b::/96, ULA, link-local, … and Teredo tunnels
        if ip.sixtofour is not None:
            return _public_v4(ip.sixtofour)
        return ip.is_global and not ip.is_multicast
    return _public_v4(ip)


def _public_v4(ip: ipaddress.IPv4Address) -> bool:
    return ip.is_global and not ip.is_multicast and not any(ip in net for net in NOT_PUBLIC_V4)


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

"""How a service's app is served by uvicorn: the same options for `haat serve` and the test servers.

Forwarding headers (X-Forwarded-For, -Proto) are believed only from the proxies named in
HAAT_<SERVICE>_TRUSTED_PROXIES: uvicorn's own default believes them from loopback, which lets any local
client (and anything behind a proxy that passes the header on) choose its address per request and escape
the per-address limits. With no proxy configured the connection's own address is the client's.
"""

from __future__ import annotations

from typing import Any

from haat.settings import ServiceSettings


def uvicorn_options(settings: ServiceSettings) -> dict[str, Any]:
    proxies = [p.strip() for p in settings.trusted_proxies if p.strip()]
    return {
        "proxy_headers": bool(proxies),
        "forwarded_allow_ips": ",".join(proxies) if proxies else "",
        "server_header": False,
        "log_config": None,
        "access_log": False,
    }

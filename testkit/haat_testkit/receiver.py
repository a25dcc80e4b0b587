"""A partner's webhook endpoint for tests and benchmarks: an aiohttp server in its own thread."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Mapping

from aiohttp import web

from haat.broker import free_port


class CountingReceiver:
    """Answers `status` (204; set 503 to play an endpoint that is down) and counts; hands each request it
    accepts, headers and body, to `on_request` when given (a partner checking signatures)."""

    def __init__(self, on_request: Callable[[Mapping[str, str], bytes], None] | None = None) -> None:
        self.on_request = on_request
        self.count = 0
        self.refused = 0
        self.status = 204
        self.port = free_port()
        self.ready = threading.Event()
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def _serve(self) -> None:
        asyncio.set_event_loop(self.loop)

        async def hook(request: web.Request) -> web.Response:
            body = await request.read()
            if self.status >= 300:
                self.refused += 1
                return web.Response(status=self.status)
            if self.on_request is not None:
                self.on_request(request.headers, body)
            self.count += 1
            return web.Response(status=self.status)

        app = web.Application()
        app.router.add_post("/hook", hook)
        runner = web.AppRunner(app, access_log=None)
        self.loop.run_until_complete(runner.setup())
        self.loop.run_until_complete(web.TCPSite(runner, "127.0.0.1", self.port).start())
        self.ready.set()
        self.loop.run_forever()

    def __enter__(self) -> CountingReceiver:
        self.thread.start()
        self.ready.wait(10)
        return self

    def __exit__(self, *_exc: object) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)

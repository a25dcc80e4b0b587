"""A real uvicorn server in a background thread, on a free port, for tests that talk HTTP."""

from __future__ import annotations

import threading
import time
from typing import Any

import uvicorn

from haat.broker import free_port
from haat.http_serving import uvicorn_options


class ThreadedServer:
    def __init__(self, app: Any, port: int | None = None) -> None:
        self.port = port or free_port()
        runtime = getattr(getattr(app, "state", None), "runtime", None)  # a service's app: served as in production
        options: dict[str, Any] = {"log_config": None, "access_log": False}
        if runtime is not None:
            options = uvicorn_options(runtime.settings)
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, **options))
        self.thread = threading.Thread(target=self.server.run, name=f"uvicorn-{self.port}", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> ThreadedServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("test HTTP server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *_exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=20)

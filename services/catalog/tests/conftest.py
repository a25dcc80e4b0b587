import pytest
from fastapi.testclient import TestClient

from haat_testkit.callers import caller_headers
from haat_testkit.catalog_factories import clf_with_shgs


class Api:
    """The catalog over HTTP as a given caller (what the gateway forwards)."""

    def __init__(self, client: TestClient, settings) -> None:
        self.client = client
        self.settings = settings

    def as_(self, role: str = "admin", clf_id: str | None = None) -> "CallerClient":
        return CallerClient(self.client, caller_headers(self.settings, role, clf_id=clf_id, subject=f"{role}-{clf_id}"))


class CallerClient:
    def __init__(self, client: TestClient, headers: dict[str, str]) -> None:
        self.client = client
        self.headers = headers

    def __getattr__(self, method: str):
        def call(url: str, headers: dict[str, str] | None = None, **kwargs):
            return getattr(self.client, method)(url, headers={**self.headers, **(headers or {})}, **kwargs)

        return call


@pytest.fixture
def catalog(service, tmp_path):
    runtime = service("catalog", image_root=tmp_path / "images", image_max_bytes=2 * 1024 * 1024)
    clf_with_shgs(runtime, "clf-a", "1260", announce=False)
    clf_with_shgs(runtime, "clf-b", "1334", announce=False)
    return runtime


@pytest.fixture
def api(catalog):
    with TestClient(catalog.definition.create_app(catalog)) as client:
        yield Api(client, catalog.settings)

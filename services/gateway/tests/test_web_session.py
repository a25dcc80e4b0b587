"""The web session's small safety rules, without a browser."""

from types import SimpleNamespace

import pytest

from haat_gateway.settings import GatewaySettings
from haat_gateway.web.pages_start import _local
from haat_gateway.web.session import BadForm, check_csrf, csrf_token

pytestmark = pytest.mark.fast


@pytest.mark.parametrize(
    ("asked", "followed"),
    [("/queue?state=created", "/queue?state=created"), ("//evil.example/x", "/"), ("https://evil.example", "/"),
     ("", "/"), (None, "/"), ("javascript:alert(1)", "/")],
)  # fmt: skip
def test_after_log_in_only_a_path_on_this_site_is_followed(asked, followed):
    assert _local(asked) == followed


def test_the_csrf_token_belongs_to_the_session():
    settings = GatewaySettings()
    mine = SimpleNamespace(cookies={"haat_session": "token-a"})
    theirs = SimpleNamespace(cookies={"haat_session": "token-b"})
    token = csrf_token(mine, settings)  # type: ignore[arg-type]
    check_csrf(mine, settings, token)  # type: ignore[arg-type]
    for request, sent in ((theirs, token), (mine, ""), (mine, None), (mine, token[:-1] + "x")):
        with pytest.raises(BadForm):
            check_csrf(request, settings, sent)  # type: ignore[arg-type]

"""Staff log-in (OAuth2 password flow): argon2 hashes, short-lived tokens, lock-out, scoped identity."""

import subprocess
import sys

import jwt
from fastapi.testclient import TestClient
from sqlalchemy import select

from haat_gateway.adapters.tables import users
from haat_gateway.service_layer.users import create_user
from haat_testkit.fixtures import subprocess_env

PASSWORD = "mango-pickle-2026"


def add_user(gateway, username: str, role: str = "coordinator", **scope) -> None:
    with gateway.unit_of_work() as uow:
        create_user(uow, username=username, password=PASSWORD, role=role, **scope)
        uow.commit()


def log_in(client, username: str, password: str = PASSWORD):
    return client.post("/v1/auth/token", data={"username": username, "password": password})


def test_a_coordinator_logs_in_and_is_scoped_to_her_clf(service):
    gateway = service("gateway", access_token_minutes=10)
    add_user(gateway, "Sunita.Devi", clf_id="clf-kanti")
    with TestClient(gateway.definition.create_app(gateway)) as client:
        issued = log_in(client, "sunita.devi")
        assert issued.status_code == 200, issued.text
        body = issued.json()
        assert (body["token_type"], body["expires_in"]) == ("bearer", 600)
        me = client.get("/v1/me", headers={"Authorization": f"Bearer {body['access_token']}"}).json()
        assert (me["role"], me["clf_id"], me["label"]) == ("coordinator", "clf-kanti", "sunita.devi")
        forged = jwt.encode(
            {"sub": "x", "role": "admin", "aud": "haat-public", "exp": 9999999999},
            "a-guessed-secret-of-enough-length!",
            "HS256",
        )
        assert client.get("/v1/me", headers={"Authorization": f"Bearer {forged}"}).status_code == 401
        # The same claims, signed with the right secret, but expired a second ago: refused all the same.
        claims = jwt.decode(body["access_token"], options={"verify_signature": False})
        expired = jwt.encode({**claims, "exp": claims["iat"] - 1},
                             gateway.settings.internal_token_secret.get_secret_value(), "HS256")  # fmt: skip
        refused = client.get("/v1/me", headers={"Authorization": f"Bearer {expired}"})
        assert refused.status_code == 401
        assert "expired" in refused.json()["detail"]
    with gateway.engine.connect() as conn:
        stored = conn.scalar(select(users.c.password_hash))
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored


def test_wrong_passwords_make_the_guessing_address_wait(service):
    gateway = service("gateway", login_max_failures=3, login_lockout_minutes=15)
    add_user(gateway, "ramesh", role="fulfilment", packaging_house_id="ph-kanti")
    with TestClient(gateway.definition.create_app(gateway)) as client:
        for _ in range(3):
            wrong = log_in(client, "ramesh", "not-the-password")
            assert wrong.status_code == 401
            assert wrong.json()["error"] == "invalid_grant"
        waiting = log_in(client, "ramesh")
        assert waiting.status_code == 429, "even the right password waits, from the address that guessed"
        assert 800 < int(waiting.headers["retry-after"]) <= 900
        unknown = log_in(client, "nobody")
        assert unknown.status_code == 401
        assert unknown.json()["detail"] == "wrong username or password", "no hint that the user does not exist"


def test_the_cli_creates_users_and_refuses_bad_ones(service):
    gateway = service("gateway")

    def haat(*args: str, stdin: str = PASSWORD + "\n") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "haat.cli.main", "user", "create", *args, "--password-stdin"],
            input=stdin, env=subprocess_env(gateway.settings), capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip

    made = haat("--username", "asha", "--role", "coordinator", "--clf", "clf-kanti")
    assert made.returncode == 0, made.stderr
    assert haat("--username", "asha", "--role", "admin").returncode == 2
    short = haat("--username", "x", "--role", "admin", stdin="short\n")
    assert short.returncode == 2
    assert "10 characters" in short.stderr
    assert "packaging house" in haat("--username", "y", "--role", "fulfilment").stderr
    with TestClient(gateway.definition.create_app(gateway)) as client:
        assert log_in(client, "asha").status_code == 200

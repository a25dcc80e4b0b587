"""Every error is RFC 9457 application/problem+json."""

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel

from haat.errors import Conflict, DomainError, Invalid, NotAllowed, NotFound, TimedOut, TooLarge, Unavailable
from haat.pagination import decode_cursor, encode_cursor
from haat.problems import PROBLEM_JSON, install_problem_handlers, refusal_from_answer

pytestmark = pytest.mark.fast


class Body(BaseModel):
    quantity: int


def make_client() -> TestClient:
    app = FastAPI()
    install_problem_handlers(app)

    @app.get("/things/{key}")
    def get_thing(key: str) -> dict:
        if key == "taken":
            raise Conflict("taken", "the thing is taken", current_state="shipped")
        raise NotFound("thing", key)

    @app.get("/refusals/{kind}")
    def refuse(kind: str) -> dict:
        raise {"not-allowed": NotAllowed, "invalid": Invalid, "too-large": TooLarge, "unavailable": Unavailable,
               "timed-out": TimedOut}[kind]("some-code", "why not")  # fmt: skip

    @app.post("/things")
    def post_thing(body: Body) -> dict:
        return {}

    @app.get("/boom")
    def boom() -> dict:
        raise RuntimeError("secret internals")

    @app.get("/page")
    def page(cursor: str) -> dict:
        return {"position": decode_cursor(cursor)}

    return TestClient(app, raise_server_exceptions=False)


def test_not_found_is_a_problem_document():
    response = make_client().get("/things/x1")
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM_JSON
    body = response.json()
    assert body["type"].endswith("/not-found")
    assert body["status"] == 404
    assert body["title"] == "Not Found"
    assert body["instance"] == "/things/x1"
    assert "x1" in body["detail"]


def test_conflict_carries_extensions():
    body = make_client().get("/things/taken").json()
    assert body["status"] == 409
    assert body["type"].endswith("/taken")
    assert body["current_state"] == "shipped"


def test_validation_errors_list_each_field():
    response = make_client().post("/things", json={"quantity": "many"})
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.json()["errors"][0]["location"] == ["body", "quantity"]


def test_unknown_route_and_unexpected_errors_are_problems_without_internals():
    client = make_client()
    missing = client.get("/nowhere")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == PROBLEM_JSON
    boom = client.get("/boom")
    assert boom.status_code == 500
    assert boom.headers["content-type"] == PROBLEM_JSON
    assert "secret internals" not in boom.text


def test_cursor_round_trip_and_forged_cursor():
    client = make_client()
    assert client.get("/page", params={"cursor": encode_cursor(1234)}).json() == {"position": 1234}
    forged = client.get("/page", params={"cursor": "not-a-cursor!"})
    assert forged.status_code == 400
    assert forged.json()["type"].endswith("/invalid-cursor")


@pytest.mark.parametrize(
    ("kind", "status"), [("not-allowed", 403), ("invalid", 422), ("too-large", 413), ("unavailable", 502),
                         ("timed-out", 504)],
)  # fmt: skip
def test_each_kind_of_refusal_is_answered_with_its_status_and_code(kind, status):
    answer = make_client().get(f"/refusals/{kind}")
    assert answer.status_code == status
    assert answer.headers["content-type"] == PROBLEM_JSON
    assert answer.json()["type"].endswith("/some-code")
    assert answer.json()["detail"] == "why not"


def test_another_service_s_problem_is_raised_again_as_the_same_kind_of_refusal():
    for status, kind in ((404, "not-found"), (409, "conflict"), (403, "not-allowed"), (503, "unavailable")):
        refusal = refusal_from_answer(status, "label-not-ready", "not packed yet")
        assert isinstance(refusal, DomainError)
        assert (refusal.kind, refusal.code, refusal.detail) == (kind, "label-not-ready", "not packed yet")

"""The pages' way to the services: the same public API and scoping as any API caller, in-process.

Each call goes to the owning service (the forwarder's table of owners) with the person signed in as the
caller, so a page can never see more than that person could through the API.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable
from typing import Any

from fastapi import Request
from fastapi.responses import Response

from haat import problem_texts
from haat.service_calls import ServiceAnswer
from haat_gateway.entrypoints.forward import call_owner
from haat_gateway.service_layer.api_keys import Principal


class ServiceRefused(Exception):
    """A 4xx answer: the problem's detail (and field errors) to show beside the form."""

    def __init__(self, status: int, problem: dict[str, Any]) -> None:
        super().__init__(problem.get("detail") or problem.get("title") or str(status))
        self.status = status
        self.problem = problem

    @classmethod
    def from_answer(cls, answer: ServiceAnswer) -> ServiceRefused:
        """The refusal a service answered: its problem+json body, or its text if it sent no JSON."""
        try:
            problem = json.loads(answer.body)
        except ValueError:
            problem = {"detail": answer.body.decode(errors="replace")[:300]}
        return cls(answer.status, problem if isinstance(problem, dict) else {"detail": str(problem)})

    @property
    def detail(self) -> str:
        return str(self)

    def said(self, language: str) -> str:
        """What the refusal says, in the reader's language where it carries a code (haat.problem_texts)."""
        return problem_texts.say_first(self.problem, language) or self.detail

    @property
    def field_errors(self) -> dict[str, str]:
        """Validation errors by the field they are about (the last element of the error's location)."""
        found: dict[str, str] = {}
        for error in self.problem.get("errors") or []:
            location = error.get("location") or error.get("loc") or []
            if location:
                found.setdefault(str(location[-1]), error.get("message") or error.get("msg") or "")
        for field, message in (self.problem.get("problems") or {}).items():
            found.setdefault(str(field), str(message))
        return found


class Backend:
    def __init__(self, request: Request, person: Principal) -> None:
        self.request = request
        self.person = person

    async def call(
        self, method: str, path: str, *, params: Any = None, body: Any = None, data: Any = None,
        accept: str = "application/json",
    ) -> ServiceAnswer:  # fmt: skip
        """`path` without /v1/, e.g. "products/HALDI-200G"; `body` is sent as JSON, `data` as it is."""
        headers = {"accept": accept}
        if body is not None:
            data, headers["content-type"] = json.dumps(body), "application/json"
        clean = [(k, str(v)) for k, v in _pairs(params) if v not in (None, "")]
        return await call_owner(self.request, self.person, method, path, params=clean, data=data, headers=headers)

    async def json(self, method: str, path: str, **request: Any) -> Any:
        answer = await self.call(method, path, **request)
        if answer.status >= 400:
            raise ServiceRefused.from_answer(answer)
        return json.loads(answer.body) if answer.body else None

    async def get(self, path: str, **params: Any) -> Any:
        return await self.json("GET", path, params=params)

    async def items(self, path: str, **params: Any) -> list[Any]:
        """The items of a page, or [] when the caller may not see them (a page shows what it can)."""
        try:
            found = await self.get(path, **params)
        except ServiceRefused:
            return []
        return list(found["items"] if isinstance(found, dict) else found)


def _pairs(params: Any) -> list[tuple[str, Any]]:
    if params is None:
        return []
    if isinstance(params, dict):
        pairs: list[tuple[str, Any]] = []
        for key, value in params.items():
            pairs.extend((key, v) for v in value) if isinstance(value, list) else pairs.append((key, value))
        return pairs
    return list(params)


async def pass_through(answer_of: Awaitable[ServiceAnswer]) -> Response:
    """A service's answer handed on as it is (a file, a template, a thumbnail), kept out of shared caches."""
    answer = await answer_of
    passed = {k: v for k, v in answer.headers.items() if k.lower() in ("content-type", "content-disposition")}
    return Response(answer.body, status_code=answer.status, headers={**passed, "Cache-Control": "private"})

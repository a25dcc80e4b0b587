"""Content negotiation for documents that are both data (JSON) and paper (PDF), and PDF answers."""

from __future__ import annotations

from typing import Any

from fastapi import Request, Response

PDF_ONLY: dict[int | str, dict[str, Any]] = {200: {"content": {"application/pdf": {}}, "description": "a PDF"}}
PDF_OR_JSON: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {"application/json": {}, "application/pdf": {}},
        "description": "JSON, or a PDF when Accept prefers application/pdf",
    }
}


def _quality(accept: str, media_type: str) -> float:
    best = 0.0
    for part in accept.split(","):
        kind, *params = (p.strip() for p in part.split(";"))
        if kind in (media_type, media_type.split("/")[0] + "/*", "*/*"):
            q = next((float(p[2:]) for p in params if p.startswith("q=") and p[2:].replace(".", "", 1).isdigit()), 1.0)
            exact = 0.001 if kind == media_type else 0.0  # an exact mention beats a wildcard of the same q
            best = max(best, q + exact)
    return best


def wants_pdf(request: Request) -> bool:
    """True when Accept prefers application/pdf to JSON (JSON wins ties and a missing header)."""
    accept = request.headers.get("accept", "") or "application/json"
    return _quality(accept, "application/pdf") > _quality(accept, "application/json")


def pdf_response(content: bytes, filename: str) -> Response:
    return Response(
        content, media_type="application/pdf", headers={"Content-Disposition": f'inline; filename="{filename}"'}
    )

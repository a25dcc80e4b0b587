"""Amazon's own Selling Partner API models (vendored from amzn/selling-partner-api-models, Apache-2.0, in
sp_api_models/), loaded so that requests and answers can be checked against the real definitions."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from jsonschema import Draft4Validator

MODELS = Path(__file__).parent / "sp_api_models"
LISTINGS = "listingsItems_2021-08-01.json"
ORDERS = "ordersV0.json"
NOTIFICATIONS = "notifications.json"


@functools.cache
def _model(name: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((MODELS / name).read_text())
    return document


@functools.cache
def validator(model: str, definition: str) -> Draft4Validator:
    """A validator of one Swagger 2.0 definition (its $refs resolve within the same model)."""
    schema = {"definitions": _model(model)["definitions"], "$ref": f"#/definitions/{definition}"}
    return Draft4Validator(schema)


def problems(model: str, definition: str, document: Any) -> list[str]:
    """What is wrong with `document` as a `definition`, one line per error (empty when it conforms)."""
    found = validator(model, definition).iter_errors(document)
    return [f"{'/'.join(str(p) for p in error.absolute_path) or '(body)'}: {error.message}" for error in found]


@functools.cache
def notification_schema(name: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((MODELS / f"{name}.json").read_text())
    return document

"""One spreadsheet row → product fields, or the list of what is wrong with it, in English and Hindi."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from haat import problem_texts
from haat.documents.indian_format import paise_from_rupees
from haat.errors import DomainError
from haat_catalog.adapters.spreadsheet import COLUMNS, MAX_CELL_CHARS

MESSAGES = {
    "required": ("this column is required", "यह कॉलम ज़रूरी है"),
    "not_a_number": ("'{value}' is not a whole number", "'{value}' पूरी संख्या नहीं है"),
    "not_rupees": ("'{value}' is not an amount in rupees, e.g. 249.50", "'{value}' रुपये की राशि नहीं है, जैसे 249.50"),
    "not_percent": ("'{value}' is not a GST rate, e.g. 12 or 12%", "'{value}' जीएसटी दर नहीं है, जैसे 12 या 12%"),
    "too_long": ("the text is longer than {limit} characters", "पाठ {limit} अक्षरों से लंबा है"),
    "bad_sku": ("a SKU has letters, digits, '-', '_' or '.' only", "एसकेयू में केवल अक्षर, अंक, '-', '_' या '.' हों"),
    "duplicate_sku": (
        "the same SKU is already on row {first} of this file",
        "यही एसकेयू इस फ़ाइल की पंक्ति {first} पर भी है",
    ),
    "retired": ("this SKU is retired and cannot be changed", "यह एसकेयू बंद है, बदला नहीं जा सकता"),
    "live_not_changed": (
        "this product is on the marketplaces: it was left as it is (choose to change live products to update it)",
        "यह उत्पाद मार्केटप्लेस पर है: इसे नहीं बदला गया (बदलने के लिए 'चालू उत्पाद भी बदलें' चुनें)",
    ),
    "database": ("the row could not be saved: {reason}", "यह पंक्ति सहेजी नहीं जा सकी: {reason}"),
}
# Hindi for the few refusals that carry no code of their own (the product rules' problems all do: their words
# are in haat.problem_texts, shared with the pages).
FIELD_PROBLEMS_HI = {"shg_ids": "ये समूह इस संकुल संघ के नहीं हैं"}
# Where a domain field came from in the sheet.
FIELD_COLUMN = {"gst_rate_bp": "gst_rate", "mrp_paise": "mrp", "price_paise": "price", "length_mm": "length_cm",
                "width_mm": "width_cm", "height_mm": "height_cm"}  # fmt: skip
# Longest text each column may hold (what the database stores); the rest allow MAX_CELL_CHARS.
MAX_CHARS = {"title_en": 500, "title_hi": 500, "brand": 200, "family_id": 64, "category": 50,
             "fssai_licence": 14, "country_of_origin": 2}  # fmt: skip


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    code: str
    message_en: str
    message_hi: str
    value: str = ""


def error(row: int, column: str, code: str, value: str = "", **params: Any) -> RowError:
    en, hi = MESSAGES[code]
    return RowError(row, column, code, en.format(value=value, **params), hi.format(value=value, **params), value)


def _percent_bp(text: str) -> int:
    rate = Decimal(text.replace("%", "").strip())
    basis_points = rate * 100
    if basis_points != basis_points.to_integral_value():
        raise InvalidOperation
    return int(basis_points)


def _cm_to_mm(text: str) -> int:
    return int((Decimal(text) * 10).to_integral_value())


CONVERT = {
    "mrp": ("mrp_paise", paise_from_rupees, "not_rupees"),
    "price": ("price_paise", paise_from_rupees, "not_rupees"),
    "gst_rate": ("gst_rate_bp", _percent_bp, "not_percent"),
    "weight_grams": ("weight_grams", lambda t: int(Decimal(t)), "not_a_number"),
    "shelf_life_days": ("shelf_life_days", lambda t: int(Decimal(t)), "not_a_number"),
    "length_cm": ("length_mm", _cm_to_mm, "not_a_number"),
    "width_cm": ("width_mm", _cm_to_mm, "not_a_number"),
    "height_cm": ("height_mm", _cm_to_mm, "not_a_number"),
}


def to_fields(row: int, values: dict[str, str], clf_id: str) -> tuple[dict[str, Any], list[RowError]]:
    """Product fields of a row (for create or update), or what cannot be read in it. Empty optional cells
    stay unset; the product rules themselves are checked by the use case (problem_errors)."""
    errors: list[RowError] = []
    fields: dict[str, Any] = {"clf_id": clf_id}
    for column in COLUMNS:
        text = values.get(column.key, "")
        if not text:
            if column.required:
                errors.append(error(row, column.key, "required"))
            continue
        limit = MAX_CHARS.get(column.key, MAX_CELL_CHARS)
        if len(text) > limit:
            errors.append(error(row, column.key, "too_long", limit=limit))
            continue
        if column.key in CONVERT:
            field, convert, code = CONVERT[column.key]
            try:
                fields[field] = convert(text)
            except (InvalidOperation, ValueError, ArithmeticError):
                errors.append(error(row, column.key, code, text[:50]))
        elif column.key == "shg_ids":
            fields["shg_ids"] = [s.strip() for s in text.replace(";", ",").split(",") if s.strip()]
        elif column.key == "sku":
            if not all(ch.isascii() and (ch.isalnum() or ch in "-_.") for ch in text) or len(text) > 64:
                errors.append(error(row, "sku", "bad_sku", text[:50]))
            fields["sku"] = text
        elif column.key == "country_of_origin":
            fields["country_of_origin"] = text.upper()
        else:
            fields[column.key] = text
    return fields, errors


def problem_errors(row: int, problem: DomainError) -> list[RowError]:
    """What the use case refused, reported against the sheet's columns, in both languages."""
    field_errors = problem.extensions.get("errors") or []
    if not field_errors:
        field = str(problem.extensions.get("field", ""))
        return [RowError(row, FIELD_COLUMN.get(field, field), problem.code, problem.detail,
                         FIELD_PROBLEMS_HI.get(field, problem.detail))]  # fmt: skip
    reported = []
    for e in field_errors:
        field = e["location"][-1]
        code = e.get("code")
        hindi = problem_texts.say(code, "hi", e.get("params")) if code else None
        reported.append(RowError(row, FIELD_COLUMN.get(field, field), code or "invalid", e["message"],
                                 hindi or FIELD_PROBLEMS_HI.get(field, e["message"])))  # fmt: skip
    return reported

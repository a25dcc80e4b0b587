"""The two-digit state codes of GST (the first two digits of a GSTIN, and what an invoice prints beside the
place of supply), by the state's name as the registry and the marketplaces write it."""

from __future__ import annotations

import re

GST_STATE_CODES: dict[str, str] = {
    "jammu and kashmir": "01", "himachal pradesh": "02", "punjab": "03", "chandigarh": "04",
    "uttarakhand": "05", "haryana": "06", "delhi": "07", "rajasthan": "08", "uttar pradesh": "09",
    "bihar": "10", "sikkim": "11", "arunachal pradesh": "12", "nagaland": "13", "manipur": "14",
    "mizoram": "15", "tripura": "16", "meghalaya": "17", "assam": "18", "west bengal": "19",
    "jharkhand": "20", "odisha": "21", "chhattisgarh": "22", "madhya pradesh": "23", "gujarat": "24",
    "dadra and nagar haveli and daman and diu": "26", "maharashtra": "27", "karnataka": "29", "goa": "30",
    "lakshadweep": "31", "kerala": "32", "tamil nadu": "33", "puducherry": "34",
    "andaman and nicobar islands": "35", "telangana": "36", "andhra pradesh": "37", "ladakh": "38",
}  # fmt: skip
ALSO_WRITTEN = {
    "orissa": "odisha", "nct of delhi": "delhi", "pondicherry": "puducherry", "uttaranchal": "uttarakhand",
    "jammu & kashmir": "jammu and kashmir", "andaman & nicobar islands": "andaman and nicobar islands",
}  # fmt: skip


def gst_state_code(state_name: str) -> str | None:
    """ "Bihar" → "10"; None for a name it does not know (the invoice then prints the name alone)."""
    name = " ".join(state_name.casefold().split())
    return GST_STATE_CODES.get(ALSO_WRITTEN.get(name, name))


GSTIN_SHAPE = re.compile(r"^[0-9]{2}[A-Z]{5}[0-9]{4}[A-Z][1-9A-Z]Z[0-9A-Z]$")
_BASE36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def gstin_check_character(first_14: str) -> str:
    """The 15th character of a GSTIN: a weighted sum of the first 14 in base 36 (GSTN's published scheme)."""
    total = 0
    for position, character in enumerate(first_14):
        product = _BASE36.index(character) * (2 if position % 2 else 1)
        total += product // 36 + product % 36
    return _BASE36[(36 - total % 36) % 36]


def gstin_problem(gstin: str, state_name: str) -> str | None:
    """What is wrong with `gstin` for a seller in `state_name` (a code for problem_texts), or None."""
    if not GSTIN_SHAPE.match(gstin):
        return "gstin_shape"
    if gstin_check_character(gstin[:14]) != gstin[14]:
        return "gstin_check"
    if gstin[:2] != gst_state_code(state_name):
        return "gstin_state"
    return None

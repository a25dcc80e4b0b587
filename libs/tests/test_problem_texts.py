"""Each refusal's code is said in English and Hindi with the same parameters, and every code the services
raise for a person to read has its words."""

import re
import string
from pathlib import Path

import pytest

from haat import problem_texts

pytestmark = pytest.mark.fast
ROOT = Path(__file__).resolve().parents[2]


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("code", sorted(problem_texts.TEXTS))
def test_both_languages_take_the_same_parameters_and_hindi_is_hindi(code):
    english, hindi = problem_texts.TEXTS[code]
    assert placeholders(english) == placeholders(hindi)
    assert re.search(r"[\u0900-\u097F]", hindi), f"{code}: the Hindi text has no Devanagari"


def test_lists_are_joined_in_the_language_and_a_missing_parameter_is_a_dash():
    params = {"hsn": "3401", "choices": ["5%", "18%"]}
    assert problem_texts.say("gst_rate_choose", "hi", params) == (
        "एचएसएन 3401 पर 5% या 18% जीएसटी लगता है: इस उत्पाद पर जो लागू हो, वह चुनें"
    )
    assert "5% or 18%" in problem_texts.say("gst_rate_choose", "en", params)
    assert problem_texts.say("gst_rate_choose", "en", {}) == "HSN — is taxed at —: choose which applies to this product"
    assert problem_texts.say("no-such-code", "hi") is None
    problem = {"errors": [{"code": "unknown"}, {"code": "string_too_long", "params": {"max_length": 64}}]}
    assert problem_texts.say_first(problem, "hi") == "अधिकतम 64 अक्षर"


def test_every_code_a_product_or_a_clf_is_refused_with_has_its_words():
    sources = [*ROOT.glob("services/catalog/haat_catalog/domain/*.py"), ROOT / "libs/haat/gst_states.py",
               ROOT / "services/catalog/haat_catalog/service_layer/registry.py"]  # fmt: skip
    raised = set()
    for source in sources:
        text = source.read_text(encoding="utf-8")
        raised |= set(re.findall(r'FieldRefusal\(\s*"([a-z_]+)"', text))
        raised |= set(re.findall(r'return "(gstin_[a-z]+)"', text))
        raised |= set(re.findall(r'NotAllowed\(\s*"([a-z_]+)"', text))
    assert {"needed_to_ship", "gst_zero_for_taxable", "price_above_mrp", "gstin_check"} <= raised
    assert raised - set(problem_texts.TEXTS) <= {"forbidden"}

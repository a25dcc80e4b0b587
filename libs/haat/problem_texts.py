"""What a refusal with a stable code says, in English and Hindi, from its parameters.

A use case refuses with a code and parameters (haat.errors, a field error's `code` and `params`); whoever
shows it to a person (a page, a bulk upload's report) says it in that person's language from here, so the
words live in one place and a service never has to know who reads them.
"""

from __future__ import annotations

from typing import Any

# code: (English, Hindi); {placeholders} are the problem's parameters
TEXTS: dict[str, tuple[str, str]] = {
    # what the API's request validation finds (pydantic's error types)
    "missing": ("is required", "ज़रूरी है"),
    "string_too_long": ("at most {max_length} characters", "अधिकतम {max_length} अक्षर"),
    "string_too_short": ("at least {min_length} characters", "कम से कम {min_length} अक्षर"),
    "string_pattern_mismatch": ("is not in the expected form", "सही रूप में नहीं है"),
    "greater_than": ("must be more than {gt}", "{gt} से अधिक होना चाहिए"),
    "greater_than_equal": ("must be at least {ge}", "कम से कम {ge} होना चाहिए"),
    "less_than_equal": ("must be at most {le}", "{le} से अधिक नहीं हो सकता"),
    "int_parsing": ("must be a whole number", "पूरी संख्या होनी चाहिए"),
    "int_type": ("must be a whole number", "पूरी संख्या होनी चाहिए"),
    "extra_forbidden": ("is not a field here", "यह फ़ील्ड यहाँ नहीं है"),
    # a product's fields
    "required": ("is required and cannot be emptied", "ज़रूरी है, खाली नहीं छोड़ सकते"),
    "not_editable": ("cannot be edited", "बदला नहीं जा सकता"),
    "title_required": ("a name in Hindi or English is required", "हिंदी या अंग्रेज़ी में नाम ज़रूरी है"),
    "hsn_shape": ("an HSN code has 4, 6 or 8 digits", "एचएसएन कोड 4, 6 या 8 अंकों का होता है"),
    "gst_not_a_slab": ("{rate} is not a GST rate", "{rate} जीएसटी की कोई दर नहीं है"),
    "mrp_positive": ("the MRP must be more than zero", "अधिकतम खुदरा मूल्य शून्य से अधिक होना चाहिए"),
    "price_positive": ("the selling price must be more than zero", "बिक्री मूल्य शून्य से अधिक होना चाहिए"),
    "price_above_mrp": ("the selling price cannot be more than the MRP", "बिक्री मूल्य एमआरपी से अधिक नहीं हो सकता"),
    "unknown_category": ("this category is not known", "यह श्रेणी नहीं पहचानी गई"),
    "fssai_needed": ("food needs the maker's FSSAI licence number", "खाद्य उत्पाद के लिए एफएसएसएआई लाइसेंस नंबर ज़रूरी है"),
    "fssai_shape": ("an FSSAI licence number has 14 digits", "एफएसएसएआई लाइसेंस नंबर 14 अंकों का होता है"),
    "shelf_life_needed": ("food needs a shelf life in days", "खाद्य उत्पाद के लिए उपयोग अवधि (दिन) ज़रूरी है"),
    "must_be_positive": ("must be more than zero", "शून्य से अधिक होना चाहिए"),
    "reason_needed": ("say why", "कारण लिखें"),
    # GST
    "gst_zero_for_taxable": (
        "HSN {hsn} is taxed at {expected}: choose its GST rate, or mark the product exempt and say why",
        "एचएसएन {hsn} पर {expected} जीएसटी लगता है: दर चुनें, या उत्पाद को छूट वाला बताकर कारण लिखें",
    ),
    "gst_rate_not_a_slab": (
        "{rate} is not a GST rate on {date}; HSN {hsn} is taxed at {expected}",
        "{date} को {rate} जीएसटी की दर नहीं है; एचएसएन {hsn} पर {expected} लगता है",
    ),
    "gst_rate_choose": (
        "HSN {hsn} is taxed at {choices}: choose which applies to this product",
        "एचएसएन {hsn} पर {choices} जीएसटी लगता है: इस उत्पाद पर जो लागू हो, वह चुनें",
    ),
    "gst_rate_unknown_code": (
        "HSN {hsn} is not in Haat's rate table: enter its GST rate",
        "एचएसएन {hsn} हाट की दर-सूची में नहीं है: इसकी जीएसटी दर भरें",
    ),
    "gstin_shape": (
        "a GSTIN has 15 characters: the state code, the PAN, the entity number, Z and a check character",
        "जीएसटीआईएन में 15 अक्षर होते हैं: राज्य कोड, पैन, इकाई संख्या, Z और जाँच अक्षर",
    ),
    "gstin_check": (
        "this GSTIN's last character does not match the rest: check it for a typing mistake",
        "इस जीएसटीआईएन का आख़िरी अक्षर बाकी से मेल नहीं खाता: टाइपिंग की गलती जाँचें",
    ),
    "gstin_state": (
        "this GSTIN belongs to another state than the CLF's ({state})",
        "यह जीएसटीआईएन संकुल संघ के राज्य ({state}) का नहीं है",
    ),
    "house_of_another_block": (
        "goods are recorded at the packaging houses of the CLF's own block",
        "सामान संकुल संघ के अपने प्रखंड के पैकेजिंग घर में ही दर्ज होता है",
    ),
    "needed_to_ship": (
        "needed to ship: enter the weight and all three sides of the package",
        "भेजने के लिए ज़रूरी: वज़न और पैकेट की तीनों माप भरें",
    ),
    "gst_exempt_has_rate": (
        "an exempt product is sold at 0% GST",
        "छूट वाला उत्पाद 0% जीएसटी पर बिकता है",
    ),
}
# What a marketplace's issue with a listing means, by "<channel>:<its code>" (the marketplace's own text stays
# beside it: it names the attribute or the picture).
MARKETPLACE_ISSUES: dict[str, tuple[str, str]] = {
    "amazon:90220": ("Amazon needs a detail the product does not have yet (named below).",
                     "अमेज़न को उत्पाद की एक जानकारी चाहिए जो अभी नहीं भरी है (नीचे लिखी है)।"),
    "amazon:18027": ("Amazon refused the photo: no text, logos or borders on the main picture.",
                     "अमेज़न ने फ़ोटो अस्वीकार की: मुख्य फ़ोटो पर लिखावट, लोगो या किनारी न हो।"),
    "amazon:8541": ("Amazon's catalog already has this product with other details: check the name and brand.",
                    "अमेज़न की सूची में यह उत्पाद दूसरी जानकारी के साथ पहले से है: नाम और ब्रांड जाँचें।"),
    "amazon:8560": ("Amazon needs more details to create this product (see below).",
                    "यह उत्पाद बनाने के लिए अमेज़न को और जानकारी चाहिए (नीचे देखें)।"),
    "flipkart:INVALID_IMAGE": ("Flipkart refused the photo: use a clear picture without a watermark.",
                               "फ्लिपकार्ट ने फ़ोटो अस्वीकार की: बिना वॉटरमार्क की साफ़ फ़ोटो लगाएँ।"),
    "flipkart:LISTING_NOT_FOUND": ("Flipkart does not have this listing yet: Haat sends it again.",
                                   "फ्लिपकार्ट पर यह लिस्टिंग अभी नहीं है: हाट इसे फिर भेजेगा।"),
    "flipkart:INVALID_REQUEST": ("Flipkart refused a detail of the product (named below).",
                                 "फ्लिपकार्ट ने उत्पाद की एक जानकारी अस्वीकार की (नीचे लिखी है)।"),
}  # fmt: skip
OR = {"en": " or ", "hi": " या "}


def explain_issue(channel: str, code: str | None, language: str) -> str | None:
    """A marketplace's listing issue said plainly in `language`, or None for a code without words here."""
    texts = MARKETPLACE_ISSUES.get(f"{channel}:{code}")
    return texts[1 if language == "hi" else 0] if texts else None


def say(code: str, language: str, params: dict[str, Any] | None = None) -> str | None:
    """The text of `code` in `language` ("en" or "hi"), or None for a code without one."""
    texts = TEXTS.get(code)
    if texts is None:
        return None
    values = {
        name: OR[language if language in OR else "en"].join(map(str, value)) if isinstance(value, list) else value
        for name, value in (params or {}).items()
    }
    try:
        return texts[1 if language == "hi" else 0].format_map(_Blank(values))
    except (ValueError, IndexError):
        return None


class _Blank(dict[str, Any]):
    """A placeholder the parameters lack reads as a dash, never as an error."""

    def __missing__(self, key: str) -> str:
        return "—"


def say_first(problem: dict[str, Any], language: str) -> str | None:
    """The first field error of a problem+json body that has a text here, said in `language`."""
    for error in problem.get("errors") or []:
        said = say(str(error.get("code") or ""), language, error.get("params"))
        if said:
            return said
    return None

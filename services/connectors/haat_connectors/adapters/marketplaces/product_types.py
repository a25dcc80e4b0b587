"""What each marketplace calls a catalog category: Amazon's product type (from its product type
definitions) and Flipkart's vertical (from its seller portal). It decides which attributes a listing needs,
so it belongs with the marketplaces' mappings, not in the catalog or on the events the catalog publishes;
a correction is one line here."""

from __future__ import annotations

PRODUCT_TYPES: dict[str, dict[str, str]] = {
    "pickles": {"amazon": "GROCERY", "flipkart": "pickle"},
    "spices": {"amazon": "GROCERY", "flipkart": "spice"},
    "honey": {"amazon": "GROCERY", "flipkart": "honey"},
    "snacks": {"amazon": "GROCERY", "flipkart": "snack"},
    "sweets": {"amazon": "GROCERY", "flipkart": "sweet"},
    "food": {"amazon": "GROCERY", "flipkart": "food_product"},
    "handloom": {"amazon": "HOME_BED_AND_BATH", "flipkart": "bedsheet"},
    "apparel": {"amazon": "SARI", "flipkart": "sari"},
    "toys": {"amazon": "TOY_FIGURE", "flipkart": "showpiece_figurine"},
    "art": {"amazon": "HOME_DECOR", "flipkart": "showpiece_figurine"},
    "household": {"amazon": "DISPOSABLE_TABLEWARE", "flipkart": "disposable_plate"},
    "beauty": {"amazon": "BEAUTY", "flipkart": "soap"},
    "general": {"amazon": "PRODUCT", "flipkart": "general"},
}


def product_type(channel: str, category: str | None) -> str:
    """The marketplace's type for a catalog category (its most general one for a category it lacks)."""
    return PRODUCT_TYPES.get(category or "general", PRODUCT_TYPES["general"])[channel]

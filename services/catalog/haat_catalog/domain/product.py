"""The product aggregate (plain Python; the ORM is mapped onto it from adapters/orm.py).

One product row is one sellable SKU; variants of the same product share a `family_id`.
Workflow: draft → submitted → approved → published → retired, with rejected → (edit) → draft.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from haat.documents.indian_format import date_in_india
from haat.gst_rates import SLABS_BP
from haat_catalog.domain import tax
from haat_catalog.domain.categories import CATEGORIES, FOOD_CATEGORIES
from haat_catalog.domain.refusals import FieldRefusal

HSN_CODE = re.compile(r"^[0-9]{4}([0-9]{2}){0,2}$")  # 4, 6 or 8 digits
FSSAI_LICENCE = re.compile(r"^[0-9]{14}$")

# Fields a coordinator may edit, and the ones that change what a buyer sees on a channel.
EDITABLE = (
    "title_en", "title_hi", "description_en", "description_hi", "category", "brand", "hsn_code",
    "gst_rate_bp", "gst_exempt_reason", "mrp_paise", "price_paise", "weight_grams", "length_mm", "width_mm",
    "height_mm", "country_of_origin", "ingredients", "shelf_life_days", "fssai_licence", "shg_ids", "family_id",
)  # fmt: skip

TRANSITIONS = {
    # a rejected product may be sent again as it is: what was wrong may have been a photo, not a field
    "submit": ({"draft", "rejected"}, "submitted"),
    "approve": ({"submitted"}, "approved"),
    "reject": ({"submitted"}, "rejected"),
    "publish": ({"approved"}, "published"),
    "retire": ({"draft", "submitted", "approved", "published", "rejected"}, "retired"),
}


class InvalidProduct(ValueError):
    """What is wrong, by field; `codes` gives some of them a stable code and parameters the pages translate."""

    def __init__(self, problems: dict[str, str], codes: dict[str, FieldRefusal] | None = None) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in problems.items()))
        self.problems = problems
        self.codes = codes or {}

    @classmethod
    def of(cls, field_name: str, problem: FieldRefusal) -> InvalidProduct:
        return cls({field_name: problem.message}, {field_name: problem})


class IllegalTransition(ValueError):
    def __init__(self, action: str, status: str) -> None:
        super().__init__(f"cannot {action} a product that is {status}")
        self.action = action
        self.status = status


SHIPPING_FACTS = ("weight_grams", "length_mm", "width_mm", "height_mm")
# Fields every product has: an edit may change them, never empty them.
REQUIRED = ("hsn_code", "gst_rate_bp", "mrp_paise", "price_paise", "category", "country_of_origin", "shg_ids")


# What a move of the workflow is called once it happened: the kind of the domain event it records.
PAST = {"submit": "submitted", "approve": "approved", "reject": "rejected", "publish": "published",
        "retire": "retired"}  # fmt: skip
# While approved or published the marketplaces list the product: a change of it is news for them.
LISTED_STATES = ("approved", "published")


@dataclass(frozen=True)
class ProductEvent:
    """A domain event: the product was submitted, approved, rejected, published, retired, or (while the
    marketplaces list it) updated in `changed`."""

    kind: str
    changed: tuple[str, ...] = ()
    reason: str = ""


@dataclass
class Product:
    sku: str
    clf_id: str
    hsn_code: str
    gst_rate_bp: int
    mrp_paise: int
    price_paise: int
    gst_exempt_reason: str | None = None  # why a taxable code is sold at 0% (e.g. a notified exemption)
    title_en: str | None = None
    title_hi: str | None = None
    description_en: str | None = None
    description_hi: str | None = None
    category: str = "general"
    brand: str | None = None
    family_id: str | None = None
    weight_grams: int | None = None
    length_mm: int | None = None
    width_mm: int | None = None
    height_mm: int | None = None
    country_of_origin: str = "IN"
    ingredients: str | None = None
    shelf_life_days: int | None = None
    fssai_licence: str | None = None
    shg_ids: list[str] = field(default_factory=list)
    status: str = "draft"
    rejection_reason: str | None = None
    created_by: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    history: list[dict[str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        missing = [name for name in REQUIRED if getattr(self, name) is None]  # e.g. an edit sent them as null
        if missing:
            problem = FieldRefusal("required", "is required and cannot be emptied")
            raise InvalidProduct(dict.fromkeys(missing, problem.message), dict.fromkeys(missing, problem))
        found: dict[str, FieldRefusal] = {}
        if not (self.title_en or self.title_hi):
            found["title_en"] = FieldRefusal("title_required", "a title in English or Hindi is required")
        if not HSN_CODE.match(self.hsn_code or ""):
            found["hsn_code"] = FieldRefusal("hsn_shape", f"HSN code {self.hsn_code!r} must be 4, 6 or 8 digits",
                                             {"hsn": self.hsn_code})  # fmt: skip
        if self.gst_rate_bp not in SLABS_BP:
            rate = f"{self.gst_rate_bp / 100:g}%"
            found["gst_rate_bp"] = FieldRefusal("gst_not_a_slab", f"GST rate {rate} is not a GST slab", {"rate": rate})
        if self.gst_exempt_reason and self.gst_rate_bp != 0:
            found["gst_exempt_reason"] = FieldRefusal("gst_exempt_has_rate", "an exempt product is sold at 0% GST")
        if self.mrp_paise <= 0:
            found["mrp_paise"] = FieldRefusal("mrp_positive", "MRP must be positive")
        if self.price_paise <= 0:
            found["price_paise"] = FieldRefusal("price_positive", "the selling price must be positive")
        elif self.price_paise > self.mrp_paise > 0:
            found["price_paise"] = FieldRefusal("price_above_mrp", "the selling price cannot exceed the MRP")
        if self.category not in CATEGORIES:
            found["category"] = FieldRefusal(
                "unknown_category", f"unknown category {self.category!r}; one of {', '.join(sorted(CATEGORIES))}",
                {"category": self.category},
            )  # fmt: skip
        if self.category in FOOD_CATEGORIES:
            if not self.fssai_licence:
                found["fssai_licence"] = FieldRefusal("fssai_needed", "food needs the producer's FSSAI licence number")
            elif not FSSAI_LICENCE.match(self.fssai_licence):
                found["fssai_licence"] = FieldRefusal("fssai_shape", "an FSSAI licence number has 14 digits")
            if self.shelf_life_days is None:
                found["shelf_life_days"] = FieldRefusal("shelf_life_needed", "food needs a shelf life")
        for name in ("weight_grams", "length_mm", "width_mm", "height_mm", "shelf_life_days"):
            value = getattr(self, name)
            if value is not None and value <= 0:
                found[name] = FieldRefusal("must_be_positive", "must be positive")
        if found:
            raise InvalidProduct({name: problem.message for name, problem in found.items()}, found)

    @property
    def sellable(self) -> bool:
        return self.status == "published"

    def gst_check_on(self, now: datetime) -> tax.GstCheck:
        """The product's GST against the rate table on the Indian date of `now`."""
        return tax.check_gst(self.hsn_code, self.gst_rate_bp, self.gst_exempt_reason, self.price_paise,
                             date_in_india(now))  # fmt: skip

    @property
    def gst_check(self) -> dict[str, object]:
        """Today's check, as the API and the approvals page show it."""
        return self.gst_check_on(datetime.now(UTC)).as_dict()

    def missing_to_ship(self) -> list[str]:
        """What a marketplace needs to ship the product and it lacks: weight and the package's three sides."""
        return [name for name in SHIPPING_FACTS if getattr(self, name) is None]

    def ready_to_ship(self) -> bool:
        return not self.missing_to_ship()

    def _move(self, action: str, actor: str, now: datetime, note: str = "") -> None:
        allowed, target = TRANSITIONS[action]
        if self.status not in allowed:
            raise IllegalTransition(action, self.status)
        missing = self.missing_to_ship()
        if action in ("submit", "approve", "publish") and missing:  # asked before review, not found at publish
            problem = FieldRefusal("needed_to_ship", "needed to ship: the weight and all three package sides")
            raise InvalidProduct(dict.fromkeys(missing, problem.message), dict.fromkeys(missing, problem))
        if action in ("submit", "approve", "publish"):
            found = self.gst_check_on(now)
            if found.blocking:
                raise InvalidProduct.of("gst_rate_bp", found.blocking)
        self.history = [
            *self.history,
            {"from": self.status, "to": target, "by": actor, "at": now.isoformat(), "note": note},
        ]
        self.status = target
        self.updated_at = now
        self._record(ProductEvent(PAST[action], reason=note))

    # The events recorded since the product was loaded or made. Not a dataclass field: a product loaded by
    # the ORM is built without __init__, so the list is made on first use.
    def _record(self, event: ProductEvent) -> None:
        self.__dict__.setdefault("_events", []).append(event)

    def take_events(self) -> list[ProductEvent]:
        taken: list[ProductEvent] = self.__dict__.pop("_events", [])
        return taken

    def photos_changed(self) -> None:
        """Its photos were added or removed: news for the marketplaces if they list it."""
        if self.status in LISTED_STATES:
            self._record(ProductEvent("updated", ("images",)))

    def submit(self, actor: str, now: datetime) -> None:
        self._move("submit", actor, now)

    def approve(self, actor: str, now: datetime) -> None:
        self._move("approve", actor, now)
        self.rejection_reason = None

    def reject(self, actor: str, now: datetime, reason: str) -> None:
        if not reason.strip():
            raise InvalidProduct.of("reason", FieldRefusal("reason_needed", "say why the product is rejected"))
        self._move("reject", actor, now, reason)
        self.rejection_reason = reason

    def publish(self, actor: str, now: datetime) -> None:
        self._move("publish", actor, now)

    def retire(self, actor: str, now: datetime) -> None:
        self._move("retire", actor, now)

    def edit(self, changes: dict[str, object], actor: str, now: datetime) -> list[str]:
        """Apply field changes; returns the names that really changed. A rejected product goes back to
        draft (saving it is enough); a published one stays published (its channels get the update)."""
        if self.status == "retired":
            raise IllegalTransition("edit", self.status)
        unknown = set(changes) - set(EDITABLE)
        if unknown:
            problem = FieldRefusal("not_editable", "cannot be edited")
            raise InvalidProduct(dict.fromkeys(sorted(unknown), problem.message), dict.fromkeys(unknown, problem))
        changes = self._rate_follows_code(changes, now)
        changed = self.differences(changes)
        before = {name: getattr(self, name) for name in changed}
        for name in changed:
            setattr(self, name, changes[name])
        try:
            self.validate()
        except InvalidProduct:
            for name, value in before.items():
                setattr(self, name, value)
            raise
        if self.status == "rejected":  # saved after a rejection, even unchanged: it is being worked on again
            self.history = [*self.history, {"from": "rejected", "to": "draft", "by": actor, "at": now.isoformat()}]
            self.status = "draft"
            self.updated_at = now
        if changed:
            self.updated_at = now
            if self.status in LISTED_STATES:
                self._record(ProductEvent("updated", tuple(changed)))
        return changed

    def differences(self, changes: dict[str, object]) -> list[str]:
        """The names of the fields `changes` would really change."""
        return [name for name, value in changes.items() if getattr(self, name) != value]

    def _rate_follows_code(self, changes: dict[str, object], now: datetime) -> dict[str, object]:
        """A new HSN code or price (clothing is taxed by the price of a piece) brings the rate the table gives
        it, unless the edit sets the rate itself or the product is exempt; a rate set to None asks for the
        table's rate (refused, saying why, where the table gives none or several)."""
        exempt = changes.get("gst_exempt_reason", self.gst_exempt_reason)
        asked = "gst_rate_bp" in changes and changes["gst_rate_bp"] is None
        moved = {"hsn_code", "price_paise"} & set(changes) and "gst_rate_bp" not in changes
        if not (asked or moved):
            return changes
        hsn, price = changes.get("hsn_code", self.hsn_code), changes.get("price_paise", self.price_paise)
        if not isinstance(hsn, str) or not isinstance(price, int):
            return changes  # validation says what is wrong with them
        if asked:
            found = tax.rate_asked_for(hsn, price, str(exempt) if exempt else None, date_in_india(now))
            if isinstance(found, FieldRefusal):
                raise InvalidProduct.of("gst_rate_bp", found)
            return {**changes, "gst_rate_bp": found}
        derived = None if exempt else tax.rate_for(hsn, price, date_in_india(now))
        return changes if derived is None else {**changes, "gst_rate_bp": derived}

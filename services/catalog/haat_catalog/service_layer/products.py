"""Product use cases. Each runs in one unit of work: the state change and its events commit together."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from haat.documents.indian_format import date_in_india
from haat.errors import Conflict, Invalid, NotAllowed, NotFound
from haat.events import catalog as events
from haat.identity import Caller
from haat_catalog.adapters.unit_of_work import CatalogUnitOfWork
from haat_catalog.domain import tax
from haat_catalog.domain.product import IllegalTransition, InvalidProduct, Product
from haat_catalog.domain.refusals import FieldRefusal
from haat_catalog.domain.sku import free_sku, sku_from_name
from haat_catalog.service_layer import registry

SNAPSHOT_FIELDS = tuple(n for n in events.ProductSnapshot.model_fields if n != "image_urls")


def snapshot(
    uow: CatalogUnitOfWork, product: Product, model: type[events.ProductSnapshot], **extra: Any
) -> events.ProductSnapshot:
    image_ids = uow.photos.ids(product.clf_id, product.sku)
    return model(
        **{name: getattr(product, name) for name in SNAPSHOT_FIELDS},
        image_urls=[f"/v1/images/{image_id}" for image_id in image_ids],
        **extra,
    )


def invalid(error: InvalidProduct) -> Invalid:
    errors = []
    for name, message in error.problems.items():
        entry: dict[str, Any] = {"location": ["body", name], "message": message}
        if name in error.codes:  # a code and parameters the pages can say in the user's language
            entry |= {"code": error.codes[name].code, "params": error.codes[name].params}
        errors.append(entry)
    return Invalid("invalid-product", str(error), errors=errors)


def with_gst_rate(fields: dict[str, Any], now: datetime) -> dict[str, Any]:
    """A new product without a rate gets the one the rate table gives its HSN code (and price)."""
    if fields.get("gst_rate_bp") is not None:
        return fields
    found = tax.rate_asked_for(str(fields.get("hsn_code") or ""), fields.get("price_paise"),
                               fields.get("gst_exempt_reason"), date_in_india(now))  # fmt: skip
    if isinstance(found, FieldRefusal):
        raise invalid(InvalidProduct.of("gst_rate_bp", found))
    return {**fields, "gst_rate_bp": found}


def clf_for_new_products(caller: Caller, given: str | None) -> str:
    """The CLF new products go to: a coordinator's own, or the one an admin names. Other roles never add
    products, whatever they send (refused before the request is looked at further)."""
    if not (caller.is_admin or caller.role == "coordinator"):
        raise NotAllowed("forbidden", "only admins and CLF coordinators add products")
    owner = given or caller.clf_id
    if not owner:
        raise Invalid("missing-clf", "say which CLF the products belong to (clf_id)")
    return owner


def create_product(
    uow: CatalogUnitOfWork, caller: Caller, fields: dict[str, Any], *, submit: bool = False,
    next_free_sku: bool = False,
) -> Product:  # fmt: skip
    """A new product; without a SKU, one is made from its name (free in its CLF). With `next_free_sku`, a SKU
    the CLF has already becomes the next free one (-2, -3, …) instead of a refusal: a form keeps its photo."""
    taken = lambda sku: uow.products.get(fields["clf_id"], sku) is not None  # noqa: E731
    if not fields.get("sku"):
        fields = {**fields, "sku": free_sku(sku_from_name(fields.get("title_en"), fields.get("title_hi")), taken)}
    elif next_free_sku:
        fields = {**fields, "sku": free_sku(fields["sku"], taken)}
    product = add_product(uow, caller, fields, submit=submit)
    uow.commit()
    return product


def add_product(
    uow: CatalogUnitOfWork,
    caller: Caller,
    fields: dict[str, Any],
    *,
    submit: bool = False,
    facts: registry.ClfFacts | None = None,
    known_new: bool = False,
) -> Product:
    """Create a product (and announce it if submitted) in the caller's transaction, without committing.

    A bulk upload passes the CLF's `facts` it read once, and `known_new` when it already looked the SKU up.
    """
    facts = facts or registry.clf_facts(uow, caller, fields["clf_id"])
    facts.require_shgs(fields.get("shg_ids") or [])
    now = datetime.now(UTC)
    if not fields.get("brand"):
        fields = {**fields, "brand": facts.default_brand(fields.get("shg_ids") or [])}
    fields = with_gst_rate(fields, now)
    try:
        product = Product(**fields, created_by=caller.subject, created_at=now, updated_at=now)
    except InvalidProduct as error:
        raise invalid(error) from error
    if not known_new and uow.products.get(product.clf_id, product.sku):
        raise Conflict("conflict", f"SKU {product.sku!r} already exists in CLF {product.clf_id!r}")
    if submit:  # refused before it is stored: an upload's row or a form is told why, and nothing is half-made
        try:
            product.submit(caller.subject, now)
        except InvalidProduct as error:
            raise invalid(error) from error
    uow.products.add(product)
    announce(uow, product)
    return product


def find_product(
    uow: CatalogUnitOfWork, caller: Caller, sku: str, clf_id: str | None = None, *, lock: bool = False
) -> Product:
    """The caller's product by SKU; another CLF's product is 'not found', never 'forbidden'."""
    if clf_id is None:
        candidates = uow.products.clfs_with_sku(sku, caller.visible_clfs())
        if len(candidates) > 1:
            raise Conflict("conflict", f"SKU {sku!r} exists in several CLFs; add ?clf_id=", clf_ids=sorted(candidates))
        clf_id = candidates[0] if candidates else None
    if clf_id is None or not caller.sees_clf(clf_id):
        raise NotFound("product", sku)
    product = uow.products.get(clf_id, sku, for_update=lock)
    if product is None:
        raise NotFound("product", sku)
    return product


def edit_product(
    uow: CatalogUnitOfWork, caller: Caller, sku: str, clf_id: str | None, changes: dict[str, Any]
) -> Product:
    product = find_product(uow, caller, sku, clf_id, lock=True)
    apply_changes(uow, caller, product, changes)
    uow.commit()
    return product


def apply_changes(
    uow: CatalogUnitOfWork,
    caller: Caller,
    product: Product,
    changes: dict[str, Any],
    facts: registry.ClfFacts | None = None,
) -> list[str]:
    """Edit a product (and announce it if channels know it) in the caller's transaction, without committing."""
    if "shg_ids" in changes:
        facts = facts or registry.clf_facts(uow, caller, product.clf_id)
        facts.require_shgs(changes["shg_ids"] or [])
    try:
        changed = product.edit(changes, caller.subject, datetime.now(UTC))
    except InvalidProduct as error:
        raise invalid(error) from error
    except IllegalTransition as error:
        raise Conflict("conflict", str(error), current_status=error.status) from error
    announce(uow, product)
    return changed


# The integration event that tells the other services of each kind of domain event.
INTEGRATION_EVENTS: dict[str, type[events.ProductSnapshot]] = {
    "submitted": events.ProductSubmittedV1,
    "approved": events.ProductApprovedV1,
    "rejected": events.ProductRejectedV1,
    "published": events.ProductPublishedV1,
    "retired": events.ProductRetiredV1,
    "updated": events.ProductUpdatedV1,
}


def announce(uow: CatalogUnitOfWork, product: Product) -> None:
    """The product's recorded domain events, published through the outbox in this transaction (each with the
    product as it now is: consumers keep the newest whole snapshot)."""
    for happened in product.take_events():
        extra: dict[str, Any] = {}
        if happened.kind == "updated":
            extra["changed"] = list(happened.changed)
        elif happened.kind == "rejected":
            extra["reason"] = happened.reason
        uow.emit(snapshot(uow, product, INTEGRATION_EVENTS[happened.kind], **extra))


def submit_in(uow: CatalogUnitOfWork, caller: Caller, product: Product) -> None:
    """Send a product for approval in the caller's transaction, without committing (a bulk upload's row)."""
    try:
        product.submit(caller.subject, datetime.now(UTC))
    except InvalidProduct as error:
        raise invalid(error) from error
    announce(uow, product)


ADMIN_ONLY = {"approve", "reject"}


def transition(
    uow: CatalogUnitOfWork, caller: Caller, sku: str, clf_id: str | None, action: str, reason: str = ""
) -> Product:
    product = find_product(uow, caller, sku, clf_id, lock=True)
    if action in ADMIN_ONLY and not caller.is_admin:
        raise NotAllowed("forbidden", f"only the state mission's reviewers can {action} a product")
    now = datetime.now(UTC)
    try:
        if action == "reject":
            product.reject(caller.subject, now, reason)
        else:
            getattr(product, action)(caller.subject, now)
        if action == "approve" and registry.publishes_on_approval(uow, product.clf_id):
            product.publish(caller.subject, now)  # the CLF chose so: no second trip to the page
    except IllegalTransition as error:
        raise Conflict("conflict", str(error), current_status=error.status) from error
    except InvalidProduct as error:
        raise invalid(error) from error
    announce(uow, product)
    uow.commit()
    return product

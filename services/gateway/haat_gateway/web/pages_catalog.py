"""Coordinators' product pages (list, add, edit, photos, workflow, goods received) and the admins'
approvals."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import quote

import aiohttp
from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from haat import gst_rates, problem_texts
from haat.documents.indian_format import date_in_india
from haat.http_app import RuntimeDep
from haat_gateway.web import i18n
from haat_gateway.web.backend import Backend, ServiceRefused, pass_through
from haat_gateway.web.i18n import paise_from_rupees
from haat_gateway.web.people import names_of
from haat_gateway.web.render import go, language, page
from haat_gateway.web.session import Admin, Coordinator, check_csrf, settings_of

router = APIRouter()
TEXT_FIELDS = ("title_en", "title_hi", "description_en", "description_hi", "category", "hsn_code", "fssai_licence")
NUMBER_FIELDS = ("weight_grams", "shelf_life_days")
RUPEE_FIELDS = {"mrp": "mrp_paise", "price": "price_paise"}
PRODUCT_STATUSES = ("draft", "submitted", "approved", "published", "rejected", "retired")
WORKFLOW = {"draft": ["submit", "retire"], "approved": ["publish", "retire"], "published": ["retire"],
            "rejected": ["submit", "retire"], "submitted": ["retire"]}  # fmt: skip


@router.get("/products")
async def product_list(
    request: Request, person: Coordinator, q: str = "", status: str = "", channel_status: str = "", cursor: str = ""
) -> Response:
    backend = Backend(request, person)
    found = await backend.get("products", q=q, status=status, channel_status=channel_status, cursor=cursor, limit=30)
    skus = [p["sku"] for p in found["items"]]
    listings = await backend.items("listings", sku=skus, limit=500) if skus else []
    badges: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for listing in listings:
        badges.setdefault((listing["clf_id"], listing["sku"]), []).append(listing)
    return page(
        request, person, "products.html", products=found["items"], next_cursor=found.get("next_cursor"),
        badges=badges, q=q, status=status, channel_status=channel_status, statuses=PRODUCT_STATUSES,
    )  # fmt: skip


async def _form_choices(backend: Backend, clf_id: str | None) -> dict[str, Any]:
    categories = await backend.get("categories")
    shgs = await backend.get(f"clfs/{clf_id}/shgs") if clf_id else []
    today = date_in_india(datetime.now(UTC))
    return {"categories": categories, "shgs": shgs, "hsn_codes": gst_rates.picker(today),
            "gst_rates": sorted(gst_rates.slabs_on(today))}  # fmt: skip


@router.get("/products/new")
async def new_product(request: Request, person: Coordinator) -> Response:
    backend = Backend(request, person)
    clfs = await backend.get("clfs")
    clf_id = person.clf_id or (clfs[0]["id"] if clfs else None)
    choices = await _form_choices(backend, clf_id)
    return page(request, person, "product_form.html", product={"clf_id": clf_id}, clfs=clfs, errors={}, **choices)


def _product_fields(form: Any) -> tuple[dict[str, Any], dict[str, str]]:
    """The form's fields as the API's product fields: rupees to paise, blanks left out."""
    fields: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name in TEXT_FIELDS:
        value = str(form.get(name) or "").strip()
        if value:
            fields[name] = value
    for name in NUMBER_FIELDS:
        value = str(form.get(name) or "").strip()
        if value:
            if value.isdigit():
                fields[name] = int(value)
            else:
                errors[name] = "a whole number / पूरी संख्या"
    for name, api_name in RUPEE_FIELDS.items():
        value = str(form.get(name) or "").strip()
        if value:
            try:
                fields[api_name] = paise_from_rupees(value)
            except ValueError:
                errors[name] = "an amount in rupees, e.g. 249.50 / रुपये में राशि, जैसे 249.50"
    for name in ("length", "width", "height"):
        value = str(form.get(f"{name}_cm") or "").strip()
        if value:
            try:
                fields[f"{name}_mm"] = round(float(value) * 10)
            except ValueError:
                errors[f"{name}_cm"] = "a number of centimetres / सेंटीमीटर में संख्या"
    gst = str(form.get("gst_rate_bp") or "")
    fields["gst_rate_bp"] = int(gst) if gst.isdigit() else None  # blank: the rate table's rate for the HSN code
    fields["gst_exempt_reason"] = str(form.get("gst_exempt_reason") or "").strip() or None  # blank clears it
    fields["shg_ids"] = [str(s) for s in form.getlist("shg_ids")]
    return fields, errors


def _form_errors(refused: ServiceRefused, lang: str) -> dict[str, str]:
    # The API names money fields in paise; the form shows them in rupees.
    renamed = {"mrp_paise": "mrp", "price_paise": "price", "length_mm": "length_cm", "width_mm": "width_cm",
               "height_mm": "height_cm"}  # fmt: skip
    found = {renamed.get(k, k): v for k, v in refused.field_errors.items()}
    for error in refused.problem.get("errors") or []:  # a coded problem is said in the person's language
        said = problem_texts.say(str(error.get("code") or ""), lang, error.get("params"))
        location = error.get("location") or []
        if said and location:
            found[renamed.get(str(location[-1]), str(location[-1]))] = said
    return found


async def _add_photo(backend: Backend, sku: str, clf_id: str, photo: Any) -> None:
    if photo is None or not getattr(photo, "filename", ""):
        return
    content = await photo.read()
    if not content:
        return
    data = aiohttp.FormData()
    data.add_field("file", content, filename=photo.filename, content_type=photo.content_type or "image/jpeg")
    await backend.json("POST", f"products/{sku}/images", params={"clf_id": clf_id}, data=data)


@router.post("/products/new")
async def create_product(request: Request, person: Coordinator, runtime: RuntimeDep) -> Response:
    form = await request.form()
    check_csrf(request, settings_of(runtime), str(form.get("csrf") or ""))
    backend = Backend(request, person)
    fields, errors = _product_fields(form)
    clf_id = str(form.get("clf_id") or person.clf_id or "")
    sku = str(form.get("sku") or "").strip()
    body = {**fields, "clf_id": clf_id, **({"sku": sku} if sku else {})}
    if not errors:
        try:
            # Saved as a draft with its photo first: what sending it for approval then refuses (a GST rate,
            # a missing package side) is shown on the saved product, and nothing typed or taken is lost.
            # A SKU typed that the CLF has already is saved as the next free one (the page says so), so the
            # photo just taken and everything typed are kept.
            created = await backend.json(
                "POST", "products", params={"submit": "false", "if_sku_taken": "next_free"}, body=body
            )
            await _add_photo(backend, created["sku"], created["clf_id"], form.get("photo"))
            here = f"/products/{quote(created['sku'])}?clf_id={quote(created['clf_id'])}"
            if sku and created["sku"] != sku:
                here += f"&renamed_from={quote(sku)}"
            if form.get("action") == "submit":
                try:
                    await backend.json(
                        "POST", f"products/{created['sku']}/submit", params={"clf_id": created["clf_id"]}
                    )
                except ServiceRefused as refused:
                    return go(request, f"{here}&problem={quote(refused.said(language(request)))}")
            return go(request, f"{here}&saved=1")
        except ServiceRefused as refused:
            errors = {**_form_errors(refused, language(request)), "_": refused.said(language(request))}
    choices = await _form_choices(backend, clf_id)
    product = {**body, **{k: form.get(k) for k in RUPEE_FIELDS}}
    return page(
        request, person, "product_form.html", 422, product=product, clfs=await backend.get("clfs"),
        errors=errors, **choices,
    )  # fmt: skip


async def _product_view(backend: Backend, product: dict[str, Any]) -> dict[str, Any]:
    """What the product page shows beside the product: photos, listings, stock, the form's choices and the
    packaging houses (the CLF's own block's first: that is where its goods are packed)."""
    sku, clf_id = product["sku"], product["clf_id"]
    photos, listings, stock, choices, houses, clf = await asyncio.gather(
        backend.get(f"products/{sku}/images", clf_id=clf_id),
        backend.items("listings", sku=sku, clf_id=clf_id),
        backend.get(f"stock/{sku}", clf_id=clf_id),
        _form_choices(backend, clf_id),
        backend.get("packaging-houses"),
        backend.get(f"clfs/{clf_id}"),
    )
    # A coordinator records goods only at her own block's houses (the catalog refuses others); an admin
    # may choose any, her CLF's own block's first.
    house_names = {h["id"]: h["name"] for h in houses}
    houses = [h for h in houses if backend.person.role == "admin" or h["block_code"] == clf["block_code"]]
    houses.sort(key=lambda h: h["block_code"] != clf["block_code"])
    names = await names_of(backend.request, (h.get("by") for h in product.get("history") or []))
    payouts = await backend.items(
        "settlements/estimate", price_paise=product["price_paise"], gst_rate_bp=product.get("gst_rate_bp") or 0,
        category=product.get("category"), registered="true" if clf.get("gstin") else "false",
    )  # fmt: skip
    return {"photos": photos, "listings": listings, "stock": stock, "houses": houses, "house_names": house_names,
            "names": names, "payouts": payouts, **choices}  # fmt: skip


@router.get("/products/{sku}")
async def product_page(
    request: Request,
    person: Coordinator,
    sku: str,
    clf_id: str = "",
    saved: str = "",
    problem: str = "",
    removed: str = "",
    renamed_from: str = "",
) -> Response:
    backend = Backend(request, person)
    product = await backend.get(f"products/{sku}", clf_id=clf_id)
    flash = "saved" if saved else ("photo_removed" if removed else None)
    if renamed_from:  # the SKU she typed was taken: say what it was saved as
        problem = i18n.Translator(language(request))("sku_taken").replace("{typed}", renamed_from[:64])
        problem = problem.replace("{sku}", product["sku"])
    return page(
        request, person, "product.html", product=product, errors={}, problem=problem[:500],
        actions=WORKFLOW.get(product["status"], []), flash_key=flash,
        **await _product_view(backend, product),
    )  # fmt: skip


@router.post("/products/{sku}")
async def edit_product(request: Request, person: Coordinator, runtime: RuntimeDep, sku: str) -> Response:
    form = await request.form()
    check_csrf(request, settings_of(runtime), str(form.get("csrf") or ""))
    backend = Backend(request, person)
    clf_id = str(form.get("clf_id") or "")
    fields, errors = _product_fields(form)
    if not errors:
        try:
            await backend.json("PATCH", f"products/{sku}", params={"clf_id": clf_id}, body=fields)
            await _add_photo(backend, sku, clf_id, form.get("photo"))
            return go(request, f"/products/{sku}?clf_id={clf_id}&saved=1")
        except ServiceRefused as refused:
            errors = {**_form_errors(refused, language(request)), "_": refused.said(language(request))}
    stored = await backend.get(f"products/{sku}", clf_id=clf_id)
    return page(
        request, person, "product.html", 422, product={**stored, **fields}, errors=errors, actions=[],
        **await _product_view(backend, stored),
    )  # fmt: skip


@router.post("/products/{sku}/do/{action}")
async def product_action(
    request: Request, person: Coordinator, runtime: RuntimeDep, sku: str, action: str,
    clf_id: Annotated[str, Form()], csrf: Annotated[str, Form()] = "", reason: Annotated[str, Form()] = "",
    back: Annotated[str, Form()] = "",
) -> Response:  # fmt: skip
    check_csrf(request, settings_of(runtime), csrf)
    if action not in ("submit", "approve", "publish", "retire", "reject"):
        return page(request, person, "message.html", 404, message_key="not_found")
    backend = Backend(request, person)
    body = {"reason": reason} if action == "reject" else None
    here = f"/products/{sku}?clf_id={clf_id}"
    try:
        await backend.json("POST", f"products/{sku}/{action}", params={"clf_id": clf_id}, body=body)
    except ServiceRefused as refused:  # e.g. publishing without what a marketplace needs: say what is missing
        return go(request, f"{here}&problem={quote(refused.said(language(request)))}")
    return go(request, back if back.startswith("/") and not back.startswith("//") else here)


@router.post("/products/{sku}/photos/{image_id}/remove")
async def remove_photo(
    request: Request, person: Coordinator, runtime: RuntimeDep, sku: str, image_id: str,
    clf_id: Annotated[str, Form()], csrf: Annotated[str, Form()] = "",
) -> Response:  # fmt: skip
    """A photo taken by mistake goes; the product's channels hear of the change like any edit."""
    check_csrf(request, settings_of(runtime), csrf)
    here = f"/products/{quote(sku)}?clf_id={quote(clf_id)}"
    try:
        await Backend(request, person).json("DELETE", f"products/{sku}/images/{image_id}", params={"clf_id": clf_id})
    except ServiceRefused as refused:
        return go(request, f"{here}&problem={quote(refused.said(language(request)))}")
    return go(request, f"{here}&removed=1")


@router.post("/products/{sku}/stock")
async def receive_stock(request: Request, person: Coordinator, runtime: RuntimeDep, sku: str) -> Response:
    """Goods arrived at a packaging house: the count goes up and every channel hears of it."""
    form = await request.form()
    check_csrf(request, settings_of(runtime), str(form.get("csrf") or ""))
    clf_id, quantity = str(form.get("clf_id") or ""), str(form.get("quantity") or "")
    body = {"packaging_house_id": str(form.get("packaging_house_id") or ""), "quantity": int(quantity or 0)
            if quantity.isdigit() else 0}  # fmt: skip
    here = f"/products/{quote(sku)}?clf_id={quote(clf_id)}"
    try:
        await Backend(request, person).json("POST", f"stock/{sku}/receipts", params={"clf_id": clf_id}, body=body)
    except ServiceRefused as refused:
        return go(request, f"{here}&problem={quote(refused.said(language(request)))}")
    return go(request, f"{here}&saved=1")


@router.get("/media/images/{image_id}/thumbnail")
async def thumbnail(request: Request, person: Coordinator, image_id: str) -> Response:
    return await pass_through(Backend(request, person).call("GET", f"images/{image_id}/thumbnail", accept="*/*"))


@router.get("/admin/approvals")
async def approvals(request: Request, person: Admin, cursor: str = "") -> Response:
    backend = Backend(request, person)
    found, clfs = await asyncio.gather(
        backend.get("products", status="submitted", limit=50, cursor=cursor), backend.get("clfs")
    )
    lang = language(request)
    clf_names = {c["id"]: (c.get("name_hi") if lang == "hi" else None) or c["name"] for c in clfs}
    return page(request, person, "approvals.html", products=found["items"], next_cursor=found.get("next_cursor"),
                clf_names=clf_names)  # fmt: skip

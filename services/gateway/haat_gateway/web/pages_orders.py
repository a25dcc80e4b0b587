"""Fulfilment staff's and coordinators' order pages: the live queue, an order with its actions and
printable documents, pick lists; sales reports and settlements."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from haat.http_app import RuntimeDep
from haat_gateway.web import i18n
from haat_gateway.web.backend import Backend, ServiceRefused
from haat_gateway.web.people import names_of
from haat_gateway.web.render import go, language, page
from haat_gateway.web.session import Coordinator, Fulfilment, check_csrf, settings_of

router = APIRouter()
STATES = ("created", "accepted", "packed", "shipped", "delivered", "cancelled", "return_requested", "returned")
OPEN_STATES = ("created", "accepted", "packed")
CHANNELS = ("amazon", "flipkart", "ondc")  # the queue's marketplace filter
# What staff can do next with an order in each state (the orders service refuses anything else with 409).
NEXT_ACTIONS = {
    "created": ["accept", "cancel"], "accepted": ["pack", "cancel"], "packed": ["ship", "cancel"],
    "shipped": ["deliver"], "delivered": ["return"], "return_requested": ["return"],
}  # fmt: skip
# The marketplaces that make the shipping label themselves (Flipkart, once packed); for the others the seller's
# own carrier prints it, and the page offers no label button that could only fail.
CHANNELS_WITH_LABELS = ("flipkart",)
MAX_BULK = 50  # orders accepted in one tap: a page of the queue
DOCUMENTS = {"invoice": "invoice", "credit-note": "credit-note", "packing-slip": "packing-slip", "label": "label"}
GROUPS = ("shg", "month", "channel", "district", "product")


def _pdf(answer: Any, name: str) -> Response:
    if answer.status >= 400:
        raise ServiceRefused.from_answer(answer)
    headers = {"Content-Disposition": f'inline; filename="{name}.pdf"', "Cache-Control": "private"}
    return Response(answer.body, media_type="application/pdf", headers=headers)


def countdown(ship_by: str | None, now: datetime) -> dict[str, Any] | None:
    """Hours and minutes to the ship-by time (negative: overdue), for the queue's countdowns."""
    if not ship_by:
        return None
    left = datetime.fromisoformat(ship_by) - now
    minutes = int(abs(left.total_seconds()) // 60)
    return {"overdue": left < timedelta(0), "hours": minutes // 60, "minutes": minutes % 60, "at": ship_by}


async def _queue_rows(request: Request, person: Any, channel: str, state: str, sla: str) -> list[dict[str, Any]]:
    backend = Backend(request, person)
    states = [state] if state else list(OPEN_STATES)
    pages = await asyncio.gather(*(backend.get("orders", state=s, channel=channel, sla=sla, limit=200) for s in states))
    rows = [o for p in pages for o in p["items"]]
    rows.sort(key=lambda o: o.get("ship_by") or "9999")
    now = datetime.now(UTC)
    return [{**o, "countdown": countdown(o.get("ship_by"), now)} for o in rows]


@router.get("/queue")
async def queue(
    request: Request, person: Fulfilment, channel: str = "", state: str = "", sla: str = "", fragment: str = ""
) -> Response:
    rows = await _queue_rows(request, person, channel, state, sla)
    template = "_queue_rows.html" if fragment else "queue.html"
    return page(
        request, person, template, orders=rows, channel=channel, state=state, sla=sla, states=STATES,
        channels=CHANNELS,
    )  # fmt: skip


@router.get("/orders/{order_id}")
async def order_page(request: Request, person: Fulfilment, order_id: str, error: str = "") -> Response:
    order = await Backend(request, person).get(f"orders/{order_id}")
    names = await names_of(request, (m.get("actor") for m in order.get("history") or []))
    return page(
        request, person, "order.html", order=order, actions=NEXT_ACTIONS.get(order["state"], []),
        countdown=countdown(order.get("ship_by"), datetime.now(UTC)), errors={}, problem=error, names=names,
        channels_with_labels=CHANNELS_WITH_LABELS,
    )  # fmt: skip


def _action_body(action: str, form: Any) -> dict[str, Any]:
    value = lambda name: str(form.get(name) or "").strip()  # noqa: E731
    if action == "pack":
        return {"weight_grams": int(value("weight_grams") or 0), "length_cm": float(value("length_cm") or 0),
                "width_cm": float(value("width_cm") or 0), "height_cm": float(value("height_cm") or 0)}  # fmt: skip
    if action == "ship":
        return {"carrier": value("carrier"), "tracking_id": value("tracking_id")}
    if action == "cancel":
        if not form.get("sure"):  # a cancellation is told to the buyer: it needs the tick, not a slip of a finger
            raise ValueError("not confirmed")
        return {"reason": value("reason")}
    if action == "return":
        return {"restocked": bool(form.get("restocked")), "reason": value("reason")}
    return {}


@router.post("/orders/{order_id}/do/{action}")
async def order_action(
    request: Request, person: Fulfilment, runtime: RuntimeDep, order_id: str, action: str
) -> Response:
    form = await request.form()
    check_csrf(request, settings_of(runtime), str(form.get("csrf") or ""))
    backend = Backend(request, person)
    lang = language(request)
    try:
        body = _action_body(action, form)
    except ValueError:
        body = None
    try:
        if body is None or action not in {a for actions in NEXT_ACTIONS.values() for a in actions}:
            check = i18n.Translator(lang)("cancel_sure" if action == "cancel" else "check_numbers")
            raise ServiceRefused(422, {"detail": check})
        await backend.json("POST", f"orders/{order_id}/{action}", body=body)
    except ServiceRefused as refused:
        order = await backend.get(f"orders/{order_id}")
        names = await names_of(request, (m.get("actor") for m in order.get("history") or []))
        return page(
            request, person, "order.html", refused.status if refused.status < 500 else 502, order=order,
            actions=NEXT_ACTIONS.get(order["state"], []), countdown=countdown(order.get("ship_by"), datetime.now(UTC)),
            errors=refused.field_errors, problem=refused.said(lang),
            form=dict(form), names=names, channels_with_labels=CHANNELS_WITH_LABELS,
        )  # fmt: skip
    return go(request, f"/orders/{order_id}")


@router.get("/orders/{order_id}/{document}.pdf")
async def order_document(request: Request, person: Fulfilment, order_id: str, document: str) -> Response:
    if document not in DOCUMENTS:
        raise ServiceRefused(404, {"detail": "no such document"})
    answer = await Backend(request, person).call("GET", f"orders/{order_id}/{DOCUMENTS[document]}",
                                                 accept="application/pdf")  # fmt: skip
    return _pdf(answer, f"{document}-{order_id}")


@router.post("/picklist")
async def pick_list(request: Request, person: Fulfilment, runtime: RuntimeDep) -> Response:
    form = await request.form()
    check_csrf(request, settings_of(runtime), str(form.get("csrf") or ""))
    order_ids = [str(o) for o in form.getlist("order_ids")]
    if not order_ids:
        rows = await _queue_rows(request, person, "", "", "")
        return page(request, person, "queue.html", 422, orders=rows, channel="", state="", sla="", states=STATES,
                    channels=CHANNELS, problem_key="none_selected")  # fmt: skip
    answer = await Backend(request, person).call(
        "POST", "picklists", body={"order_ids": order_ids}, accept="application/pdf"
    )
    return _pdf(answer, "pick-list")


@router.post("/queue/accept")
async def accept_selected(request: Request, person: Fulfilment, runtime: RuntimeDep) -> Response:
    """Accept the ticked orders in one tap; each is accepted on its own, so one refused leaves the rest."""
    form = await request.form()
    check_csrf(request, settings_of(runtime), str(form.get("csrf") or ""))
    order_ids = [str(o) for o in form.getlist("order_ids")][:MAX_BULK]
    backend = Backend(request, person)

    async def accept(order_id: str) -> bool:
        try:
            await backend.json("POST", f"orders/{order_id}/accept", body={})
        except ServiceRefused:
            return False
        return True

    done = await asyncio.gather(*(accept(order_id) for order_id in order_ids))
    t = i18n.Translator(language(request))
    said = t("accepted_many").replace("{n}", str(sum(done)))
    refused = [order_id for order_id, ok in zip(order_ids, done, strict=True) if not ok]
    if refused:
        said += " " + t("not_accepted").replace("{ids}", ", ".join(refused))
    rows = await _queue_rows(request, person, "", "", "")
    return page(request, person, "queue.html", orders=rows, channel="", state="", sla="", states=STATES,
                channels=CHANNELS, flash=said)  # fmt: skip


@router.get("/sales")
async def sales(request: Request, person: Coordinator, group_by: str = "shg") -> Response:
    group_by = group_by if group_by in GROUPS else "shg"
    found = await Backend(request, person).get("reports/sales", group_by=group_by)
    rows = sorted(found["items"], key=lambda r: str(r["group"]) if group_by == "month" else -r["gross_paise"])
    return page(request, person, "sales.html", rows=rows, group_by=group_by, groups=GROUPS)


@router.get("/sales.csv")
async def sales_csv(request: Request, person: Coordinator, group_by: str = "shg") -> Response:
    group_by = group_by if group_by in GROUPS else "shg"  # it names the file: only our own words go in a header
    params = {"group_by": group_by, "format": "csv"}
    answer = await Backend(request, person).call("GET", "reports/sales", params=params, accept="*/*")
    headers = {"Content-Disposition": f'attachment; filename="sales-by-{group_by}.csv"'}
    return Response(answer.body, status_code=answer.status, media_type="text/csv; charset=utf-8", headers=headers)


@router.get("/settlements")
async def settlements(request: Request, person: Coordinator) -> Response:
    found = await Backend(request, person).get("settlements")
    return page(request, person, "settlements.html", settlements=found["items"])


@router.get("/settlements/bank-file.csv")
async def bank_file(request: Request, person: Coordinator) -> Response:
    answer = await Backend(request, person).call("GET", "settlements/bank-file.csv", accept="*/*")
    headers = {"Content-Disposition": 'attachment; filename="bank-file.csv"'}
    return Response(answer.body, status_code=answer.status, media_type="text/csv; charset=utf-8", headers=headers)


@router.get("/settlements/{settlement_id}")
async def settlement(request: Request, person: Coordinator, settlement_id: str) -> Response:
    found = await Backend(request, person).get(f"settlements/{settlement_id}")
    return page(request, person, "settlement.html", settlement=found)


@router.post("/settlements/do/{action}")
async def settlement_action(request: Request, person: Coordinator, runtime: RuntimeDep, action: str) -> Response:
    form = await request.form()
    check_csrf(request, settings_of(runtime), str(form.get("csrf") or ""))
    backend = Backend(request, person)
    if action == "draw-up":
        period_end = datetime.now(UTC).isoformat()
        await backend.json("POST", "settlements", body={"period_end": period_end, "clf_id": person.clf_id})
        return go(request, "/settlements")
    settlement_id = str(form.get("settlement_id") or "")
    await backend.json(
        "POST", f"settlements/{settlement_id}/paid", body={"reference": str(form.get("reference") or "")}
    )
    return go(request, f"/settlements/{settlement_id}")

"""Listing status per channel, as the connectors report it: out-of-order reports never regress it."""

from datetime import UTC, datetime, timedelta

from haat.events.connectors import ListingIssue, ListingStatusChangedV1
from haat.events.envelope import new_event
from haat_catalog.service_layer.listings import on_listing_status_changed
from haat_testkit.catalog_factories import published_product


def report(runtime, channel: str, status: str, at: datetime, issues=()) -> None:
    data = ListingStatusChangedV1(
        sku="KHES-DOUBLE", clf_id="clf-a", channel=channel, status=status, issues=list(issues), reported_at=at
    )
    with runtime.unit_of_work() as uow:
        on_listing_status_changed(uow, new_event(data, service="connectors"))
        uow.commit()


def test_channel_statuses_with_issues_and_out_of_order_reports(api, catalog):
    published_product(catalog, clf_id="clf-a")
    now = datetime.now(UTC)
    report(catalog, "amazon", "pending", now)
    issue = ListingIssue(code="90220", message="'item_weight' is required but not supplied", severity="error")
    report(catalog, "amazon", "rejected", now + timedelta(minutes=2), [issue])
    report(catalog, "amazon", "live", now + timedelta(minutes=1))  # older than the rejection: ignored
    report(catalog, "flipkart", "live", now)

    listings = api.as_("coordinator", "clf-a").get("/v1/products/KHES-DOUBLE/listings").json()
    assert [(entry["channel"], entry["status"]) for entry in listings] == [("amazon", "rejected"), ("flipkart", "live")]
    assert listings[0]["issues"][0]["message"] == "'item_weight' is required but not supplied"
    rejected = api.as_("coordinator", "clf-a").get(
        "/v1/products", params={"channel": "amazon", "channel_status": "rejected"}
    )
    assert [p["sku"] for p in rejected.json()["items"]] == ["KHES-DOUBLE"]
    assert api.as_("coordinator", "clf-b").get("/v1/products/KHES-DOUBLE/listings").status_code == 404

import json
from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from haat.events import CloudEvent, EventData, UnknownEventType, event_type, new_event, registry
from haat.events.catalog import ProductSubmittedV1
from haat.events.registry import EventRegistry, EventSpec

pytestmark = pytest.mark.fast

SUBMITTED = ProductSubmittedV1(
    sku="AAM-1", clf_id="clf-1", title_hi="आम का अचार", hsn_code="2001", gst_rate_bp=1200, mrp_paise=100, price_paise=90
)


def test_new_event_fills_the_cloudevents_envelope():
    event = new_event(SUBMITTED, service="catalog")
    assert event.specversion == "1.0"
    assert event.type == "haat.catalog.product.submitted.v1"
    assert event.source == "/haat/catalog"
    assert event.subject == "AAM-1"
    assert event.time.tzinfo is not None
    assert len(event.id) == 36


def test_envelope_round_trips_through_json_with_devanagari():
    event = new_event(SUBMITTED, service="catalog")
    parsed = CloudEvent.model_validate_json(event.to_bytes())
    assert parsed == event
    assert parsed.typed_data() == SUBMITTED
    assert parsed.typed_data().title_hi == "आम का अचार"


def test_consumers_ignore_unknown_fields_in_envelope_and_data():
    body = json.loads(new_event(SUBMITTED, service="catalog").to_bytes())
    body["partnerextension"] = "x"
    body["data"]["added_in_a_later_minor_version"] = 1
    parsed = CloudEvent.model_validate(body)
    assert parsed.typed_data() == SUBMITTED


def test_unknown_event_type_is_refused_by_name():
    event = CloudEvent(id="1", source="/x", type="haat.nope.v1", time=datetime.now(UTC), data={})
    with pytest.raises(UnknownEventType):
        event.typed_data()


def test_envelope_requires_a_timezone_aware_time():
    with pytest.raises(ValidationError):
        CloudEvent(id="1", source="/x", type="t", time=datetime(2026, 1, 1), data={})


def test_payload_validation_rejects_a_bad_hsn_code():
    with pytest.raises(ValidationError):
        ProductSubmittedV1(sku="A", clf_id="c", hsn_code="12345", gst_rate_bp=0, mrp_paise=1, price_paise=1)


def test_registry_refuses_a_type_registered_twice():
    local = EventRegistry()

    class Thing(EventData):
        id: str

    spec = EventSpec("haat.test.thing.created.v1", "t", Thing, "d", True)
    local.register(spec)
    with pytest.raises(ValueError, match="registered twice"):
        local.register(spec)


def test_registry_lists_public_types_with_json_schema():
    names = [s.name for s in registry.all()]
    assert "haat.catalog.product.submitted.v1" in names
    schema = registry.spec("haat.catalog.product.submitted.v1").json_schema()
    assert "hsn_code" in schema["properties"]
    assert "haat.catalog.products" in registry.public_topics()


def test_event_type_decorator_uses_the_subject_field():
    @event_type("haat.test.widget.made.v1", topic="haat.test.widgets", description="test only", public=False)
    class WidgetMade(EventData):
        subject_field = "widget_id"
        widget_id: str

    assert new_event(WidgetMade(widget_id="w-9"), service="test").subject == "w-9"
    assert "haat.test.widgets" not in registry.public_topics()


def test_every_public_event_names_whose_it_is_and_carries_no_marketplace_document_or_buyer():
    """What partners receive is scoped by `data.clf_id` (or addressed by `owner_key_id`) and made of our own
    documented fields: never a marketplace's raw document, never the buyer's address."""
    for spec in registry.public():
        properties = spec.json_schema()["properties"]
        assert "clf_id" in properties or "owner_key_id" in properties, spec.name
        assert not {"raw", "shipping_address", "buyer", "buyer_name"} & set(properties), spec.name
        assert spec.description, spec.name
    assert "haat.connectors.marketplace_order.received.v1" not in {s.name for s in registry.public()}

"""Integration events: the CloudEvents envelope, versioned event models and their registry.

Importing this package registers every event type defined in libs (catalog, orders, …).
"""

from haat.events import catalog as catalog
from haat.events import connectors as connectors
from haat.events import gateway as gateway
from haat.events import orders as orders
from haat.events.envelope import CloudEvent, new_event
from haat.events.registry import EventData, UnknownEventType, event_type, registry

__all__ = ["CloudEvent", "EventData", "UnknownEventType", "event_type", "new_event", "registry"]

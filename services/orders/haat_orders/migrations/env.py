from haat.migrations import run_migrations
from haat_orders.adapters.tables import metadata

run_migrations(metadata)

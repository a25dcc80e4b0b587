from haat.migrations import run_migrations
from haat_gateway.adapters.tables import metadata

run_migrations(metadata)

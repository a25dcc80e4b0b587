from haat.migrations import run_migrations
from haat_connectors.adapters.tables import metadata

run_migrations(metadata)

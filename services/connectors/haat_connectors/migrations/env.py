from haat.migrations import run_migrations
from haat_connectors.tables import metadata

run_migrations(metadata)

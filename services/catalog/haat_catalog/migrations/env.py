from haat.migrations import run_migrations
from haat_catalog.adapters.orm import metadata

run_migrations(metadata)

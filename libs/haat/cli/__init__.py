"""The `haat` command: run the system, its parts, migrations and administration."""

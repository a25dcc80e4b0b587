"""`haat connectors …`: seller accounts' stored credentials."""

from __future__ import annotations

import typer

from haat.cli.service_commands import command_runtime
from haat.secret_box import SecretBox
from haat_connectors.adapters.unit_of_work import unit_of_work

cli = typer.Typer(help="Seller accounts and their credentials.", no_args_is_help=True)


@cli.command("reseal")
def reseal(ctx: typer.Context) -> None:
    """Re-encrypt every stored credential with the first key of HAAT_ENCRYPTION_KEYS."""
    from haat_connectors.service_layer.accounts import reseal_all

    with command_runtime(ctx) as runtime, unit_of_work(runtime) as uow:
        count = reseal_all(uow, SecretBox(runtime.settings.encryption_keys))
    typer.echo(f"connectors: {count} seller account credential(s) sealed with the newest key")

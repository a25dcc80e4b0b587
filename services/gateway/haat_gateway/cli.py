"""`haat api-key …`: create, list and revoke API keys in the gateway's database."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer

from haat.cli.service_commands import command_runtime
from haat.secret_box import SecretBox
from haat_gateway.adapters.unit_of_work import GatewayUnitOfWork, unit_of_work
from haat_gateway.service_layer import audit
from haat_gateway.service_layer.api_keys import ROLES, InvalidKeyRequest, create_key, revoke_by_label
from haat_gateway.service_layer.api_keys import list_keys as all_keys
from haat_gateway.service_layer.users import InvalidUser, create_user
from haat_gateway.settings import GatewaySettings

api_key_cli = typer.Typer(help="Manage API keys (stored hashed in the gateway's database).", no_args_is_help=True)


@contextmanager
def _gateway_transaction(ctx: typer.Context) -> Iterator[GatewayUnitOfWork]:
    """A unit of work on the gateway's (migrated) database; a refused request is a clear CLI error."""
    try:
        with command_runtime(ctx) as runtime, unit_of_work(runtime) as uow:
            yield uow
    except (InvalidKeyRequest, InvalidUser) as error:
        typer.echo(f"haat: {error}", err=True)
        raise typer.Exit(2) from None


@api_key_cli.command("create")
def create(
    ctx: typer.Context,
    role: Annotated[str, typer.Option(help=f"one of: {', '.join(ROLES)}")],
    clf: Annotated[
        list[str] | None, typer.Option(help="a coordinator key's CLF; for a partner key, each CLF it is granted")
    ] = None,
    event_type: Annotated[
        list[str] | None, typer.Option(help="a partner key hears only of these event types (default: all)")
    ] = None,
    label: Annotated[str, typer.Option(help="a name to recognise the key by")] = "cli",
    replace: Annotated[bool, typer.Option(help="revoke the active keys with the same label first")] = False,
) -> None:
    """Create a key and print it (it is shown only this once). A partner key reads nothing until it is
    granted CLFs (--clf, repeated; or PUT /v1/api-keys/{id}/grant)."""
    clfs = list(clf or [])
    scope = {"clf_ids": clfs, "event_types": event_type} if role == "partner" else {"clf_id": clfs[0] if clfs else None}
    with _gateway_transaction(ctx) as uow:
        if replace and revoke_by_label(uow, label):
            audit.record(uow, audit.COMMAND_LINE, "POST", f"api-keys?label={label}/revoke", 200, {})
        key, made = create_key(uow, role=role, label=label, **scope)
        audit.record(uow, audit.COMMAND_LINE, "POST", f"api-keys/{made.key_id}", 201,
                     {"role": role, "label": label, **scope})  # fmt: skip
        uow.commit()
    typer.echo(key)


@api_key_cli.command("list")
def list_keys(ctx: typer.Context) -> None:
    """List keys (prefix, role, scope or grant, label); never the keys themselves."""
    with _gateway_transaction(ctx) as uow:
        for row in all_keys(uow):
            state = "revoked" if row.revoked_at else "active"
            scope = row.clf_id or ",".join(row.clf_ids or []) or "-"
            typer.echo(f"{row.id}  {row.prefix}…  {row.role:<11} {scope:<20} {state:<8} {row.label}")


user_cli = typer.Typer(help="Manage staff users (admins, coordinators, fulfilment staff).", no_args_is_help=True)


@user_cli.command("create")
def create_user_command(
    ctx: typer.Context,
    username: Annotated[str, typer.Option()],
    role: Annotated[str, typer.Option(help="admin, coordinator or fulfilment")],
    clf: Annotated[str | None, typer.Option(help="a coordinator's CLF")] = None,
    packaging_house: Annotated[str | None, typer.Option(help="fulfilment staff's packaging house")] = None,
    display_name: Annotated[str, typer.Option()] = "",
    password_stdin: Annotated[bool, typer.Option(help="read the password from standard input")] = False,
) -> None:
    """Create a staff user who logs in at POST /v1/auth/token."""
    password = (
        sys.stdin.readline().rstrip("\n")
        if password_stdin
        else typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    )
    with _gateway_transaction(ctx) as uow:
        create_user(
            uow, username=username, password=password, role=role, display_name=display_name,
            clf_id=clf, packaging_house_id=packaging_house,
        )  # fmt: skip
        uow.commit()
    typer.echo(f"user {username.strip().lower()} created ({role})")


webhooks_cli = typer.Typer(help="Webhook endpoints' stored secrets.", no_args_is_help=True)


@webhooks_cli.command("reseal")
def reseal(ctx: typer.Context) -> None:
    """Re-encrypt every stored webhook secret with the first key of HAAT_ENCRYPTION_KEYS."""
    from haat_gateway.service_layer.webhooks import reseal_secrets

    with _gateway_transaction(ctx) as uow:
        count = reseal_secrets(uow, SecretBox(GatewaySettings().encryption_keys))
    typer.echo(f"gateway: {count} webhook secret(s) sealed with the newest key")

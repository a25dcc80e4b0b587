"""`haat sandbox run amazon|flipkart`: serve one sandbox marketplace (installed with the sandboxes only)."""

from __future__ import annotations

from typing import Annotated, Literal

import typer
import uvicorn

sandbox_cli = typer.Typer(help="Run a sandbox marketplace (Amazon-style or Flipkart-style).", no_args_is_help=True)


@sandbox_cli.command("run")
def run(
    channel: Annotated[str, typer.Argument(help="amazon or flipkart")],
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port to listen on (default 8101 amazon, 8102 flipkart)")] = 0,
    quota_scale: Annotated[float, typer.Option(help="published quotas times this")] = 1.0,
    orders_per_minute: Annotated[float, typer.Option(help="generated buyer orders (0: none)")] = 0.0,
    accept_delay_s: Annotated[float, typer.Option(help="Amazon: seconds until a listing is processed")] = 1.0,
    sqs_endpoint_url: Annotated[str, typer.Option(help="Amazon: the SQS service its notifications go to")] = "",
) -> None:
    """Serve one sandbox marketplace until interrupted."""
    from haat_sandboxes import amazon, flipkart

    if channel not in ("amazon", "flipkart"):
        typer.echo(f"haat: unknown sandbox {channel!r}; choose amazon or flipkart", err=True)
        raise typer.Exit(2)
    chosen: Literal["amazon", "flipkart"] = "amazon" if channel == "amazon" else "flipkart"
    if chosen == "amazon":
        sandbox_app = amazon.create_app(
            amazon.AmazonSandbox(
                quota_scale=quota_scale, accept_delay_s=accept_delay_s, sqs_endpoint_url=sqs_endpoint_url
            ),
            orders_per_minute=orders_per_minute,
        )
    else:
        sandbox_app = flipkart.create_app(
            flipkart.FlipkartSandbox(quota_scale=quota_scale), orders_per_minute=orders_per_minute
        )
    uvicorn.run(sandbox_app, host=host, port=port or (8101 if chosen == "amazon" else 8102), log_config=None)


@sandbox_cli.command("sqs")
def sqs(
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port to listen on")] = 8104,
    queue: Annotated[list[str], typer.Option(help="a notification queue to make (with its dead-letter queue)")] = [],  # noqa: B006
    region: Annotated[str, typer.Option(help="the region the queues are made in")] = "eu-west-1",
) -> None:
    """Serve an SQS-compatible queue service (moto, in server mode) until interrupted: where the Amazon
    sandbox delivers notifications, as Amazon delivers them to a seller application's own queue."""
    import threading

    from moto.server import ThreadedMotoServer

    from haat_sandboxes.sqs_queues import create_notification_queue, stand_in_client

    server = ThreadedMotoServer(ip_address=host, port=port, verbose=False)
    server.start()
    client = stand_in_client(f"http://{host}:{port}", region)
    for name in queue:
        typer.echo(f"haat: SQS queue {create_notification_queue(client, name)}")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()

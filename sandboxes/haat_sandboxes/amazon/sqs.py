"""How Amazon puts a notification on a seller application's SQS queue: SendMessage to the queue that the
destination's ARN names (`arn:aws:sqs:<region>:<account>:<name>`), on the configured SQS service (for the
embedded run and the tests, a local stand-in: moto in server mode)."""

from __future__ import annotations

from typing import Any

from haat_sandboxes.sqs_queues import stand_in_client


class QueueUnreachable(Exception):
    """No queue by that ARN, or the SQS service does not answer."""


class SqsPublisher:
    def __init__(self, endpoint_url: str) -> None:
        self.endpoint_url = endpoint_url
        self.clients: dict[str, Any] = {}  # per region: a queue lives in one
        self.urls: dict[str, str] = {}

    def _client(self, region: str) -> Any:
        if region not in self.clients:
            self.clients[region] = stand_in_client(self.endpoint_url, region)
        return self.clients[region]

    def url_of(self, arn: str) -> str:
        """The queue's URL (QueueUnreachable: no such queue, or a malformed ARN)."""
        if arn not in self.urls:
            try:
                _, _, _, region, account, name = arn.split(":", 5)
                answer = self._client(region).get_queue_url(QueueName=name, QueueOwnerAWSAccountId=account)
            except Exception as error:  # botocore's ClientError, EndpointConnectionError, a malformed ARN
                raise QueueUnreachable(f"cannot reach SQS queue {arn}: {error}") from None
            self.urls[arn] = str(answer["QueueUrl"])
        return self.urls[arn]

    def send(self, arn: str, body: str) -> None:
        region = arn.split(":")[3]
        try:
            self._client(region).send_message(QueueUrl=self.url_of(arn), MessageBody=body)
        except QueueUnreachable:
            raise
        except Exception as error:
            raise QueueUnreachable(f"SendMessage to {arn} failed: {error}") from None

"""The sync worker: for each seller account this replica leases, lanes run side by side.

- stock: quantity-only pushes (first, and never behind a catalog upload: oversell protection);
- content: new, changed and retired listings;
- verify: asks the marketplace for listings still pending after `listing_verify_after_s`;
- orders: pulls changed orders every `order_poll_interval_s` from a persisted cursor, and fetches the
  orders that notifications named; tasks: tells the marketplace of packed, shipped and cancelled orders;
- subscribe: has the marketplace deliver the seller's notifications to our queue (Amazon: SQS).
Each lane reads its work from the database and writes the outcome back in one transaction, so a killed
worker leaves nothing half-done: what was not recorded is pushed again (pushes are idempotent).
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import threading
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from haat.secret_box import SecretBox
from haat.service import ServiceRuntime
from haat_connectors.adapters.marketplaces.amazon_queue import NotificationQueue
from haat_connectors.adapters.marketplaces.base import Marketplace, PushOutcome
from haat_connectors.adapters.marketplaces.channels import MarketplaceClients
from haat_connectors.adapters.marketplaces.http import TransientFailure
from haat_connectors.adapters.unit_of_work import unit_of_work
from haat_connectors.service_layer import accounts, catalog_feed, leases, listing_sync, order_sync, order_tasks
from haat_connectors.settings import ConnectorsSettings

log = logging.getLogger(__name__)
T = TypeVar("T")
IDLE_S = {"stock": 0.2, "content": 0.5, "verify": 2.0, "fetch": 0.3}
RESUBSCRIBE_S = 3600.0  # a seller's notification subscriptions are checked at start, then hourly
# What wakes an idle lane before its poll: a commit that made work for it.
NUDGES = {
    "stock": catalog_feed.LISTING_WORK, "content": catalog_feed.LISTING_WORK, "fetch": order_sync.FETCH_REQUESTED,
}  # fmt: skip


def run_sync(runtime: ServiceRuntime[ConnectorsSettings], stop: threading.Event) -> None:
    asyncio.run(SyncWorker(runtime).run(stop))


class SyncWorker:
    def __init__(self, runtime: ServiceRuntime[ConnectorsSettings]) -> None:
        self.runtime = runtime
        settings = runtime.settings
        self.settings = settings
        self.box = SecretBox(settings.encryption_keys)
        self.owner = f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        self.accounts: dict[str, AccountSync] = {}
        self.handing_over: dict[str, asyncio.Future[None]] = {}  # account → its hand-over under way
        self._queue_arn: str | None = None

    async def destination(self, channel: str) -> str | None:
        """Where the marketplace is to deliver a seller's notifications: for Amazon, the ARN of our SQS queue
        (when one is configured); None where it pushes over HTTP instead."""
        if channel != "amazon" or not self.settings.amazon_notification_queue_url:
            return None
        if self._queue_arn is None:
            self._queue_arn = await asyncio.to_thread(NotificationQueue(self.settings).arn)
        return self._queue_arn

    async def db(self, work: Callable[..., T], *args: Any) -> T:
        def in_transaction() -> T:
            with unit_of_work(self.runtime) as uow:
                result = work(uow, *args)
                uow.commit()
                return result

        return await asyncio.to_thread(in_transaction)

    async def run(self, stop: threading.Event) -> None:
        async with MarketplaceClients(self.settings) as clients:
            while not stop.is_set():
                try:
                    leased = await self.db(leases.lease_accounts, self.owner, self.settings.lease_s)
                    self._reconcile(leased.accounts, clients)
                    for account_id in leased.surplus:
                        if account_id not in self.handing_over:
                            self.handing_over[account_id] = asyncio.ensure_future(self._hand_over(account_id))
                except Exception:
                    log.exception("leasing seller accounts failed; trying again")
                await asyncio.to_thread(stop.wait, self.settings.lease_s / 3)
            for sync in self.accounts.values():
                sync.stop()
            await asyncio.gather(*(s.done() for s in self.accounts.values()), return_exceptions=True)
        await self.db(leases.release_accounts, self.owner)

    async def _hand_over(self, account_id: str) -> None:
        """Give an account to a replica that joined: finish and record the calls in flight, then release it."""
        try:
            sync = self.accounts.get(account_id)
            if sync is not None:
                await sync.drain(timeout_s=self.settings.lease_s / 3)
            await self.db(leases.release_account, self.owner, account_id)
            self.accounts.pop(account_id, None)
        except Exception:
            log.exception("handing a seller account over failed", extra={"account": account_id})
        finally:
            self.handing_over.pop(account_id, None)

    def _reconcile(self, leased: list[Any], clients: MarketplaceClients) -> None:
        wanted = {row.id: row for row in leased}
        for account_id in list(self.accounts):
            if account_id in self.handing_over:
                continue
            current = self.accounts[account_id]
            if account_id not in wanted or current.sealed != wanted[account_id].credentials:
                current.stop()  # lost the lease, disabled, or new credentials: start afresh below
                del self.accounts[account_id]
        for account_id, row in wanted.items():
            if account_id in self.handing_over:
                continue
            if account_id not in self.accounts:
                marketplace = clients.for_account(accounts.opened(row, self.box))
                self.accounts[account_id] = AccountSync(self, marketplace, row.credentials, row.order_cursor)
            self.accounts[account_id].leased_until = row.lease_until


class AccountSync:
    def __init__(self, worker: SyncWorker, marketplace: Marketplace, sealed: str, cursor: datetime | None) -> None:
        self.worker = worker
        self.marketplace = marketplace
        self.account = marketplace.account
        self.sealed = sealed
        self.cursor = cursor
        self.busy: set[str] = set()
        self.leased_until: datetime | None = None
        self.slots = asyncio.Semaphore(worker.settings.sync_concurrency * 2)
        self.answers: list[tuple[listing_sync.Work, PushOutcome]] = []
        self.answered = asyncio.Event()
        self.sending: set[asyncio.Future[None]] = set()
        lanes = {
            "stock": self.push_stock, "content": self.push_content, "record": self.record_answers,
            "verify": self.verify, "fetch": self.fetch_orders, "poll": self.poll_orders, "tasks": self.order_tasks,
            "subscribe": self.subscribe,
        }  # fmt: skip
        self.tasks = [asyncio.ensure_future(self._lane(name, step)) for name, step in lanes.items()]

    def stop(self) -> None:
        """The lease is lost: stop at once, calls in flight included (the next owner sends what was not
        recorded; pushes are idempotent)."""
        for task in [*self.tasks, *self.sending]:
            task.cancel()

    async def done(self) -> None:
        await asyncio.gather(*self.tasks, *self.sending, return_exceptions=True)

    async def drain(self, timeout_s: float) -> None:
        """Stop taking work, let the calls in flight finish (for up to `timeout_s`) and record their answers."""
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        if self.sending:
            _, late = await asyncio.wait(set(self.sending), timeout=timeout_s)
            for send in late:
                send.cancel()
            await asyncio.gather(*late, return_exceptions=True)
        if self.answers:
            await self._record_answered()

    def leased(self) -> bool:
        """Self-fencing: a replica that could not renew in time (a stalled process) stops calling before its
        lease runs out, so that the replica taking the account over never shares its quota."""
        margin = timedelta(seconds=self.worker.settings.lease_s / 3)
        return self.leased_until is not None and datetime.now(UTC) < self.leased_until - margin

    async def _lane(self, name: str, step: Callable[[], Awaitable[float]]) -> None:
        nudge = NUDGES.get(name)
        while True:
            if not self.leased():
                await asyncio.sleep(0.2)
                continue
            seen = nudge.generation if nudge else 0
            failed = False
            try:
                pause = await step()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("sync lane failed; trying again", extra={"lane": name, "account": self.account.id})
                pause, failed = 5.0, True
            if pause and nudge and not failed:  # idle: new work wakes it early; a failure waits its pause out
                await nudge.wait(pause, seen=seen)
            elif pause:
                await asyncio.sleep(pause)

    async def subscribe(self) -> float:
        """Have the marketplace deliver this seller's notifications to our queue (Amazon), at the start and
        then hourly, so that a subscription removed in Seller Central comes back."""
        destination = await self.worker.destination(self.account.channel)
        if destination is not None:
            made = await self.marketplace.subscribe(destination)
            if made:
                log.info("subscribed to marketplace notifications", extra={"account": self.account.id, "types": made})
        return RESUBSCRIBE_S

    async def push_stock(self) -> float:
        return await self._push("stock")

    async def push_content(self) -> float:
        return await self._push("content")

    async def _push(self, lane: listing_sync.Lane) -> float:
        """Claim work and keep `sync_concurrency` calls in flight; answers are recorded in batches by the
        recorder lane, and a listing stays claimed (busy) until its answer is stored."""
        size = self.marketplace.batch_size
        work = await self.worker.db(
            listing_sync.claim, self.account.id, lane, self.worker.settings.sync_concurrency * size, set(self.busy)
        )
        if not work:
            return IDLE_S[lane]
        self.busy |= {w.push.sku for w in work}
        for start in range(0, len(work), size):
            await self.slots.acquire()
            group = work[start : start + size]
            task = asyncio.ensure_future(self._send(group))
            self.sending.add(task)
            task.add_done_callback(self._sent)
        return 0.0

    def _sent(self, task: asyncio.Future[None]) -> None:
        self.sending.discard(task)
        self.slots.release()

    async def _send(self, group: list[listing_sync.Work]) -> None:
        sent_at = datetime.now(UTC)
        try:
            outcomes = await self.marketplace.push([w.push for w in group])
            for outcome in outcomes:
                outcome.sent_at = sent_at
        except Exception as failure:  # recorded as a transient failure: the listing is tried again later
            outcomes = [PushOutcome(w.push.sku, error=f"{type(failure).__name__}: {failure}") for w in group]
        by_sku = {o.sku: o for o in outcomes}
        missing = "the marketplace's answer did not mention this SKU"
        self.answers.extend((w, by_sku.get(w.push.sku, PushOutcome(w.push.sku, error=missing))) for w in group)
        self.answered.set()

    async def record_answers(self) -> float:
        await self.answered.wait()
        self.answered.clear()
        await self._record_answered()
        return 0.0

    async def _record_answered(self) -> None:
        """Store the answers received so far in one transaction; their listings are free to be claimed again."""
        batch, self.answers = self.answers, []
        try:
            await self.worker.db(
                listing_sync.record, self.account.id, batch, self.worker.settings.listing_verify_after_s
            )
        finally:
            self.busy -= {w.push.sku for w, _ in batch}

    async def verify(self) -> float:
        skus = await self.worker.db(listing_sync.due_for_verification, self.account.id, 10)
        for sku in skus:
            try:
                report = await self.marketplace.listing_status(sku)
            except TransientFailure:
                await self.worker.db(listing_sync.verify_later, self.account.id, sku, 30.0)
                continue
            if report is None or report.status == "pending":
                await self.worker.db(listing_sync.verify_later, self.account.id, sku, 30.0)
            if report is not None:
                await self.worker.db(listing_sync.apply_report, self.account.id, report)
        return IDLE_S["verify"] if not skus else 0.0

    async def poll_orders(self) -> float:
        since = self.cursor or datetime.now(UTC) - timedelta(days=1)
        try:
            orders, cursor = await self.marketplace.orders_updated_since(since)
        except TransientFailure as failure:
            log.warning("order pull failed", extra={"account": self.account.id, "error": str(failure)})
            return self.worker.settings.order_poll_interval_s
        for order in orders:
            await self.worker.db(order_sync.record_order, order)
        self.cursor = cursor
        await asyncio.to_thread(self._save_cursor, cursor)
        return self.worker.settings.order_poll_interval_s

    def _save_cursor(self, cursor: datetime) -> None:
        with unit_of_work(self.worker.runtime) as uow:
            leases.save_cursor(uow, self.account.id, cursor)

    async def fetch_orders(self) -> float:
        """Fetch the orders notifications asked for, several at once (the client keeps to the quotas)."""
        due = await self.worker.db(order_sync.due_fetches, self.account.id, 10)
        failures = [r for r in await asyncio.gather(*map(self._fetch, due), return_exceptions=True) if r is not None]
        if failures:
            raise failures[0]
        return IDLE_S["fetch"] if not due else 0.0

    async def _fetch(self, fetch_id: str) -> None:
        started = datetime.now(UTC)
        try:
            order = await self.marketplace.order(fetch_id)
        except TransientFailure:
            await self.worker.db(order_sync.fetch_failed, self.account.id, fetch_id)
            return
        await self.worker.db(self._fetched, fetch_id, order, started)

    async def order_tasks(self) -> float:
        tasks = await self.worker.db(order_tasks.due, self.account.id, 10)
        for task in tasks:
            try:
                details = task.details
                if task.kind == "ship":
                    refusal = await self.marketplace.confirm_shipment(
                        task.snapshot, details["carrier"], details["tracking_id"]
                    )
                elif task.kind == "pack":
                    refusal = await self.marketplace.pack(task.snapshot, details)
                else:
                    refusal = await self.marketplace.cancel(task.snapshot, task.details.get("reason", ""))
            except TransientFailure as failure:
                refusal = str(failure)
            await self.worker.db(order_tasks.finished, task.id, refusal, task.attempts)
        return 0.0 if tasks else 1.0

    def _fetched(self, uow: Any, fetch_id: str, order: Any, started: datetime) -> None:
        if order is None:
            order_sync.unknown_order(uow, self.account.channel, self.account.clf_id, fetch_id)
        else:
            order_sync.record_order(uow, order)
        order_sync.fetch_done(uow, self.account.id, fetch_id, started)

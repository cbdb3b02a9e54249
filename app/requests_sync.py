"""Send the outbox to the server, refresh statuses, withdraw: the phone's side of /api/requests.

Every request is posted with the idempotency key made when it was saved, so a send that
is cut, reset or repeated (by us after a crash, or by the network) is stored once: the
server answers a repeat with the first receipt. Network failures are retried a few times
with jittered, doubling waits, then left for the background owner's next round (which
backs off in turn). Logs carry counts and status codes only: never a form, a receipt or
an idempotency key.

The server shows a request's status, or withdraws it, only to the phone that sent it: that
idempotency key, kept sealed with the receipt once the request is delivered, goes with each
call as `Authorization: Bearer <key>` (the receipt alone proves nothing: staff see it too).
A request delivered by an older app has no key kept: its status is no longer asked, and
withdrawing it raises NoProof (the person asks their Red Cross with the receipt code).
"""

from __future__ import annotations

import base64
import json
import logging
import random
import re
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from app.server_address import requests_url
from app.storage.outbox import CLAIMED, Outbox, Outgoing

if TYPE_CHECKING:
    import httpx

log = logging.getLogger(__name__)

API_VERSION = 1
# "XXXX-XXXX-XXXX-XXXX" in Crockford's base32 alphabet.
RECEIPT = re.compile(r"[0-9A-HJKMNP-TV-Z]{4}(?:-[0-9A-HJKMNP-TV-Z]{4}){3}")
SERVER_STATUSES = ("delivered", "in_progress", "closed", "withdrawn")
MAX_RETRY_AFTER_S = 30.0
# A refusal that sending again cannot change: the request is kept, marked, never re-sent.
_FINAL_REFUSALS = {400, 413, 415, 422}


class ServerUnreachable(Exception):
    """No usable answer after the retries (network down, resets, 5xx, 429).
    `maybe_sent` is False only when no try got as far as writing the request: every one
    failed to connect (refused, no route, DNS, connect timeout) or to get a connection."""

    def __init__(self, reason: str, *, maybe_sent: bool = True) -> None:
        super().__init__(reason)
        self.maybe_sent = maybe_sent


# Failures httpx raises before any byte of the request is written. Everything else (a write
# or read error, a read timeout, a reset, any answer, even a 5xx) may come after the server
# has stored the request.
def _nothing_written(error: Exception) -> bool:
    import httpx

    return isinstance(error, (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout))


class UnknownReceipt(Exception):
    """No request of this phone has that receipt code."""


class NoProof(Exception):
    """The request was delivered by an older app, which did not keep the proof the server asks
    for: only its Red Cross can withdraw it (given the receipt code)."""


# What one round of sending did (counts only).
@dataclass(frozen=True)
class SendReport:
    delivered: int = 0
    refused: int = 0
    left: int = 0  # still waiting or sending: the next round tries again
    unreachable: bool = False


# How hard one round tries before leaving the rest for later.
@dataclass(frozen=True)
class Retry:
    attempts: int = 4
    first_wait: float = 0.5
    sleep: Callable[[float], None] = time.sleep
    jitter: Callable[[], float] = random.random

    def wait(self, attempt: int, retry_after: float | None = None) -> None:
        delay = retry_after if retry_after is not None else self.first_wait * 2 ** attempt
        self.sleep(min(delay, MAX_RETRY_AFTER_S) * (0.5 + 0.5 * self.jitter()))


@dataclass(frozen=True)
class _Answer:
    status: int
    body: dict


def _retry_after(response: httpx.Response) -> float | None:
    try:
        return float(response.headers.get("retry-after", ""))
    except ValueError:
        return None


def _call(client: httpx.Client, method: str, url: str, retry: Retry, **kwargs) -> _Answer:
    """One API call, retried on network failures, 5xx and 429; a final answer or ServerUnreachable."""
    import httpx

    last = "no attempt"
    maybe_sent = False
    for attempt in range(retry.attempts):
        retry_after = None
        try:
            response = client.request(method, url, **kwargs)
            maybe_sent = True
            if response.status_code == 429 or response.status_code >= 500:
                last, retry_after = f"HTTP {response.status_code}", _retry_after(response)
            else:
                try:
                    body = response.json()
                except ValueError:  # a cut or garbled answer: ask again
                    last = f"HTTP {response.status_code} with an unreadable body"
                else:
                    return _Answer(response.status_code, body if isinstance(body, dict) else {})
        except httpx.HTTPError as error:
            last = type(error).__name__
            maybe_sent = maybe_sent or not _nothing_written(error)
        if attempt + 1 < retry.attempts:
            retry.wait(attempt, retry_after)
    raise ServerUnreachable(last, maybe_sent=maybe_sent)


def _error_code(answer: _Answer) -> str:
    detail = answer.body.get("detail")
    code = detail.get("code") if isinstance(detail, dict) else None
    return code if isinstance(code, str) and code else f"http_{answer.status}"


def _send_one(outbox: Outbox, client: httpx.Client, url: str, item: Outgoing, retry: Retry) -> str:
    body = json.dumps({"v": API_VERSION, "kind": item.kind, "route": item.route, "key_id": item.key_id,
                       "sealed": base64.b64encode(item.sealed).decode("ascii")}).encode()
    answer = _call(client, "POST", url, retry, content=body,
                   headers={"Idempotency-Key": item.idempotency_key, "Content-Type": "application/json"})
    receipt = answer.body.get("receipt")
    if answer.status in (200, 201) and isinstance(receipt, str) and RECEIPT.fullmatch(receipt):
        outbox.delivered(item.id, kind=item.kind, receipt=receipt, proof=item.idempotency_key,
                         status=str(answer.body.get("status") or "delivered"),
                         updated_at=str(answer.body.get("updated_at") or ""))
        return "delivered"
    if answer.status in _FINAL_REFUSALS:
        code = _error_code(answer)
        log.warning("a request was refused by the server: HTTP %d %s", answer.status, code)
        outbox.refused(item.id, kind=item.kind, code=code)
        return "refused"
    raise ServerUnreachable(f"HTTP {answer.status}")  # an answer we cannot use: try again later


def send_outbox(outbox: Outbox, client: httpx.Client, server_url: str, *, retry: Retry = Retry(),
                stop: Callable[[], bool] = lambda: False) -> SendReport:
    """Send every waiting request (and any a stopped send left `sending`), oldest first.
    Stops at the first request the server cannot be reached for: the rest wait."""
    counts = {"delivered": 0, "refused": 0}
    try:
        return _send_all(outbox, client, requests_url(server_url), retry, stop, counts)
    finally:
        if counts["delivered"]:
            outbox.forget_sent_copies()


def _send_all(outbox: Outbox, client: httpx.Client, url: str, retry: Retry, stop: Callable[[], bool],
              counts: dict[str, int]) -> SendReport:
    items = outbox.to_send()
    for done, item in enumerate(items):
        if stop():
            return SendReport(counts["delivered"], counts["refused"], len(items) - done)
        claimed = outbox.claim(item.id)
        if not claimed:
            continue  # cancelled a moment ago
        try:
            counts[_send_one(outbox, client, url, item, retry)] += 1
        except ServerUnreachable as error:
            # `sending` exists because a request the server may hold must not be cancelled on
            # the phone: the server would keep an orphan the person believes gone, or a new
            # request filled in again would be a duplicate. So only a request that certainly
            # never left the phone goes back to waiting (and can be cancelled): one this round
            # took from waiting and whose every try failed to connect. One whose try was
            # written (then reset, timed out, or answered 5xx) or that a stopped send left
            # `sending` stays `sending`; the next round sends it again with the same
            # idempotency key, so it is stored once. Anything else (a crash, a kill) also
            # leaves it `sending`: never released on a guess.
            if claimed == CLAIMED and not error.maybe_sent:
                outbox.release(item.id)
            log.warning("requests not sent: %s; %d wait for the next try", error, len(items) - done)
            return SendReport(counts["delivered"], counts["refused"], len(items) - done, unreachable=True)
    if items:
        log.info("requests: %d delivered, %d refused", counts["delivered"], counts["refused"])
    return SendReport(counts["delivered"], counts["refused"], 0)


def _record(outbox: Outbox, row_id: str, answer: _Answer) -> None:
    status = answer.body.get("status")
    if answer.status == 200 and status in SERVER_STATUSES:
        message = answer.body.get("message")
        outbox.set_status(row_id, status=status, updated_at=str(answer.body.get("updated_at") or ""),
                          message=message if isinstance(message, str) else None)


def _proven(proof: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {proof}"}


def refresh_statuses(outbox: Outbox, client: httpx.Client, server_url: str, *, retry: Retry = Retry()) -> int:
    """Ask the server for the status of every sent request not yet closed and with its proof
    kept (one an older app delivered has none: the server would not answer); how many were asked."""
    url = requests_url(server_url)
    asked = 0
    for summary in outbox.sent():
        if summary.status in ("closed", "withdrawn"):
            continue
        proof = outbox.proof(summary.id)
        if proof is None:
            continue
        _record(outbox, summary.id, _call(client, "GET", f"{url}/{summary.receipt}", retry, headers=_proven(proof)))
        asked += 1
    return asked


def withdraw(outbox: Outbox, client: httpx.Client, server_url: str, receipt: str, *, retry: Retry = Retry()) -> str:
    """Withdraw a sent request: the server erases what it holds. The status it now has.
    NoProof when an older app delivered it (nothing is sent then)."""
    found = next((s for s in outbox.sent() if s.receipt == receipt.strip().upper()), None)
    if found is None:
        raise UnknownReceipt()
    proof = outbox.proof(found.id)
    if proof is None:
        raise NoProof()
    answer = _call(client, "POST", f"{requests_url(server_url)}/{found.receipt}/withdraw", retry,
                   headers=_proven(proof))
    _record(outbox, found.id, answer)
    if answer.status != 200:
        raise ServerUnreachable(f"HTTP {answer.status} {_error_code(answer)}")
    return str(answer.body.get("status"))

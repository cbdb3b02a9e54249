"""The intake API phones talk to: POST /api/requests (idempotent), GET the status by receipt,
POST withdraw. Bodies stay sealed: a form is opened in memory only to check its fields.

The receipt names a request; staff see it too (page addresses, titles, the inbox, a referring
Society), so it proves nothing. Status and withdraw also need the requester's proof: the
Idempotency-Key the phone sent the request with, which only that phone and the database hold,
sent as `Authorization: Bearer <key>`. A missing or wrong proof gets the same 404
`unknown_receipt` as a receipt no request has, so a receipt alone does not even tell whether
the request exists.

Errors are JSON `{"detail": {"code": ..., "message": ...}}` (and `field` when one is wrong).
Nothing a request holds is ever logged, nor any Idempotency-Key or proof.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Annotated, Callable, Literal, Optional

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel
from sqlmodel import Session
from starlette.requests import ClientDisconnect

from sync_server.db import SessionDep
from sync_server.requests import forms, keys, store
from sync_server.requests.ratelimit import RateLimiter, retry_after
from sync_server.requests.routing import society_for

log = logging.getLogger(__name__)

_IDEMPOTENCY_KEY = re.compile(r"[A-Za-z0-9_-]{22,64}")


# What the intake needs besides the database, made once per serving process.
@dataclass
class Intake:
    data: Path
    request_keys_file: Path
    societies: frozenset[str]
    limiter: RateLimiter
    max_body_bytes: int = 16 * 1024
    _keyring: keys.Keyring | None = None
    society_names: dict[str, str] = field(default_factory=dict)  # code → English name, "" unknown

    def load_keyring(self) -> bool:
        """Read the private keys (at start; again at a request while none is found)."""
        try:
            self._keyring = keys.load_keyring(self.data, self.request_keys_file)
        except (keys.NoRequestKey, FileNotFoundError):
            log.error("no request key: the data folder holds no private key named in %s "
                      "(python -m sync_server request-key new)", self.request_keys_file.name)
            return False
        keys.use_keyring(self._keyring)  # the store's caseworker functions use it too
        return True

    def keyring(self) -> keys.Keyring:
        if self._keyring is None and not self.load_keyring():
            raise _error(503, "no_request_key", "The server cannot open requests yet. Try again later.")
        return self._keyring


# The answer to every call: the status the requester sees, nothing personal.
class RequestStatusOut(BaseModel):
    receipt: str
    status: Literal["delivered", "in_progress", "closed", "withdrawn"]
    updated_at: str
    message: Optional[str] = None


# An error's body.
class ErrorDetail(BaseModel):
    code: str
    message: str
    field: Optional[str] = None


class ErrorOut(BaseModel):
    detail: ErrorDetail


def _error(status: int, code: str, message: str, *, field: str | None = None, headers=None) -> HTTPException:
    detail = {"code": code, "message": message} | ({"field": field} if field else {})
    return HTTPException(status_code=status, detail=detail, headers=headers)


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def _out(status: store.RequestStatus) -> RequestStatusOut:
    return RequestStatusOut(receipt=status.receipt, status=status.status, updated_at=_iso(status.updated_at),
                            message=status.message)


async def get_intake(request: Request) -> Intake:  # async: no trip to the thread pool
    return request.app.state.intake


IntakeDep = Annotated[Intake, Depends(get_intake)]


async def rate_limited(request: Request, intake: IntakeDep) -> None:
    client = request.client.host if request.client else "unknown"
    wait = intake.limiter.wait_needed(client)
    if wait:
        raise _error(429, "too_many_requests", "Too many requests from this address. Try again later.",
                     headers={"Retry-After": retry_after(wait)})


async def capped_body(request: Request, intake: IntakeDep) -> bytes:
    """The request body, refused as soon as it passes max_body_bytes (declared or streamed)."""
    limit = intake.max_body_bytes
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
        raise _error(415, "unsupported_media_type", "Send the request as application/json.")
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise _error(413, "too_large", f"A request may be at most {limit} bytes.")
    body = bytearray()
    try:
        async for chunk in request.stream():
            body += chunk
            if len(body) > limit:
                raise _error(413, "too_large", f"A request may be at most {limit} bytes.")
    except ClientDisconnect:  # the phone went away mid-body: nothing to store, nothing to log
        raise _error(400, "incomplete_body", "The request body did not arrive.") from None
    return bytes(body)


_ERRORS = {status: {"model": ErrorOut} for status in (400, 404, 413, 415, 422, 429, 503)}
def no_store(response: Response) -> None:
    """A status carries the caseworker's words to the requester: no cache may keep it."""
    response.headers["Cache-Control"] = "no-store"


router = APIRouter(prefix="/api/requests", tags=["requests"], dependencies=[Depends(rate_limited), Depends(no_store)])


# The body and header are read by hand (size cap, our error shape) and documented here.
_SUBMIT_OPENAPI = {
    "requestBody": {"required": True, "content": {"application/json": {"schema": forms.RequestBody.model_json_schema()}}},
    "parameters": [{"name": "Idempotency-Key", "in": "header", "required": True,
                    "schema": {"type": "string", "pattern": f"^{_IDEMPOTENCY_KEY.pattern}$"}}],
}


@router.post("", status_code=201, response_model=RequestStatusOut, responses={200: {"model": RequestStatusOut}} | _ERRORS,
             openapi_extra=_SUBMIT_OPENAPI)
def submit_request(request: Request, response: Response, session: SessionDep, intake: IntakeDep,
                   raw: Annotated[bytes, Depends(capped_body)]) -> RequestStatusOut:
    """Store a sealed help request once per Idempotency-Key: 201 new, 200 a repeat of the same body."""
    idempotency_key = request.headers.get("idempotency-key")
    if idempotency_key is None or not _IDEMPOTENCY_KEY.fullmatch(idempotency_key):
        raise _error(400, "idempotency_key", "The Idempotency-Key header must be 22 to 64 letters, digits, - or _.")
    try:
        parsed = json.loads(raw)
    # ValueError: not UTF-8, not JSON, or an integer past Python's digit limit; RecursionError:
    # nesting deeper than the parser goes. Each is the sender's mistake, never a 500.
    except (ValueError, RecursionError):
        raise _error(400, "bad_json", "The body is not valid JSON.") from None
    try:
        body = forms.parse_body(parsed)
        sealed = keys.decode_sealed(body.sealed)
        forms.check_form(body.kind, intake.keyring().open(body.key_id, sealed))  # plaintext: in memory only
    except forms.InvalidField as problem:
        raise _error(422, "invalid_field", f"The field '{problem.field}' {problem.reason}.", field=problem.field) from None
    except keys.BadSeal:
        raise _error(422, "bad_seal", "The request is not sealed to a key this server holds. "
                                      "Seal it again after the next content update.", field="sealed") from None
    canonical = json.dumps({"v": body.v, "kind": body.kind, "route": body.route, "key_id": body.key_id,
                            "sealed": body.sealed}, sort_keys=True, separators=(",", ":"))
    try:
        status, new = store.receive(session, idempotency_key=idempotency_key,
                                    body_hash=hashlib.sha256(canonical.encode()).hexdigest(), kind=body.kind,
                                    route=body.route, society=society_for(body.route, intake.societies),
                                    key_id=body.key_id, sealed=sealed)
    except store.IdempotencyConflict:
        raise _error(422, "idempotency_conflict",
                     "This Idempotency-Key was used before with a different request.") from None
    response.status_code = 201 if new else 200
    return _out(status)


# The requester's proof: `Authorization: Bearer <the request's Idempotency-Key>`. Not
# auto_error: a missing or malformed header must answer as a wrong one does (404), not 403.
_requester_proof = HTTPBearer(auto_error=False, scheme_name="RequesterProof",
                              description="The Idempotency-Key the request was sent with.")
ProofDep = Annotated[Optional[HTTPAuthorizationCredentials], Depends(_requester_proof)]


def _by_receipt(action: Callable[..., store.RequestStatus], session: Session, receipt: str,
                proof: HTTPAuthorizationCredentials | None) -> RequestStatusOut:
    """`action`'s answer for the request this receipt names, or 404 when none has it or the
    proof is not its own (one answer for both: the same code, message and body)."""
    try:
        return _out(action(session, receipt, proof=proof.credentials if proof is not None else None))
    except store.UnknownRequest:
        raise _error(404, "unknown_receipt", "No request has this receipt.") from None


@router.get("/{receipt}", response_model=RequestStatusOut, responses=_ERRORS)
def request_status(receipt: str, session: SessionDep, proof: ProofDep) -> RequestStatusOut:
    """The status of a request, for the phone that sent it (`Authorization: Bearer <its
    Idempotency-Key>`): nothing personal. Without that proof: 404 `unknown_receipt`."""
    return _by_receipt(store.status_of, session, receipt, proof)


@router.post("/{receipt}/withdraw", response_model=RequestStatusOut, responses=_ERRORS)
def withdraw_request(receipt: str, session: SessionDep, proof: ProofDep) -> RequestStatusOut:
    """The phone that sent the request takes it back (`Authorization: Bearer <its
    Idempotency-Key>`): its personal data is erased at once. Without that proof: 404
    `unknown_receipt`, and nothing changes."""
    return _by_receipt(store.withdraw, session, receipt, proof)

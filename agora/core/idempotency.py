"""Idempotency-Key for API POSTs and PATCHes: the same key from the same caller on the same path
within 24 h gets the first response back, and the work is done once; the same key with another body
is refused (422 `idempotency_key_reused`), as Stripe does.

Two halves. IdempotencyMiddleware (in settings.MIDDLEWARE) takes the key off every POST and PATCH
under /api/ and stores the response afterwards; the endpoint asks `admit()` whether to run only once its
own token, scope and account checks have passed (agora/api/api.py wraps every POST operation), so a
repeat is answered as the first request would be: a read-only or revoked token, a disabled account
or an app-only token where a user is needed gets the endpoint's own 401/403, never the stored body.
The caller is the token's user and app: two apps of one user never see each other's responses (an
app could otherwise replay a response its own token's scopes would not allow). For an app-only token
(client credentials) the user is the negated application id.

Concurrency: the record is inserted *before* the endpoint does its work, under a unique constraint on
(user_id, application_id, key, method_path). A duplicate that arrives while the first is still running sees a record
with no response yet, waits briefly for it, then gets 409 `idempotency_in_progress`.
Failed attempts (5xx, 401, 409, 429) are forgotten so the client may retry with the same key. A
request refused before its endpoint ran (bad input) is remembered once its token has passed the
endpoint's checks, as a response the endpoint gave.
"""

from __future__ import annotations

import hashlib
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.utils import timezone
from oauth2_provider.models import AccessToken

from agora.core.models import IdempotencyRecord

TTL = timedelta(hours=24)
MAX_KEY_LENGTH = 200
WAIT_SECONDS = 1.0
WAIT_STEP = 0.05
# Responses not worth replaying: the request did not do its work, and a retry may succeed.
FORGET_STATUSES = {401, 408, 409, 423, 425, 429}
PURGE_ONE_IN = 200
# Where the middleware leaves a request's key for the endpoint (request attribute).
PENDING_ATTR = "_agora_idempotency"
# The methods that take a key: those that change something and are not idempotent by themselves.
METHODS = frozenset({"POST", "PATCH"})


def purge_expired() -> int:
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=timezone.now() - TTL).delete()
    return deleted


def caller_of(token: Any) -> dict[str, int] | None:
    """The record's caller fields for an access token the endpoint has admitted; None without one."""
    if not isinstance(token, AccessToken):
        return None  # anonymous, or a token the endpoint has not checked yet
    app = int(token.application_id or 0)
    if token.user_id is not None:
        return {"user_id": int(token.user_id), "application_id": app}
    return {"user_id": -app, "application_id": app} if app else None


@dataclass
class Pending:
    """A POST's Idempotency-Key, from the middleware to the endpoint and back."""

    key: str
    method_path: str
    request_hash: str = ""  # of the body: a repeat must send the same one
    asked: bool = False  # the endpoint's checks passed and it called admit()
    record: IdempotencyRecord | None = None  # claimed for this request: the response goes in it


def _error(status: int, message: str, code: str) -> JsonResponse:
    return JsonResponse({"error": message, "code": code}, status=status)


def _replay(record: IdempotencyRecord) -> HttpResponse:
    response = HttpResponse(
        bytes(record.body or b""),
        status=record.status_code,
        content_type=record.content_type or "application/json",
    )
    response["Idempotent-Replayed"] = "true"
    return response


def _claim(caller: dict[str, int], key: str, method_path: str, request_hash: str) -> IdempotencyRecord | None:
    """Insert the record; None when one already exists (replay or wait instead)."""
    try:
        with transaction.atomic():
            return IdempotencyRecord.objects.create(
                **caller, key=key, method_path=method_path, request_hash=request_hash
            )
    except IntegrityError:
        return None


def _reused(existing: IdempotencyRecord, request_hash: str) -> bool:
    return bool(existing.request_hash and request_hash and existing.request_hash != request_hash)


def _existing(caller: dict[str, int], key: str, method_path: str) -> IdempotencyRecord | None:
    return IdempotencyRecord.objects.filter(**caller, key=key, method_path=method_path).first()


def _claim_or_answer(
    caller: dict[str, int], key: str, method_path: str, request_hash: str
) -> IdempotencyRecord | HttpResponse:
    """This request's new record, or the answer for a repeat: the stored response, a 409 while the
    first runs, or a 422 when the repeat's body is not the first's."""
    record = _claim(caller, key, method_path, request_hash)
    if record is None:
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            existing = _existing(caller, key, method_path)
            if existing is None or existing.created_at < timezone.now() - TTL:
                if existing is not None:  # expired: this key may be used afresh
                    IdempotencyRecord.objects.filter(pk=existing.pk).delete()
                record = _claim(caller, key, method_path, request_hash)
                if record is not None:
                    break
            elif _reused(existing, request_hash):
                return _error(
                    422,
                    "This Idempotency-Key was sent with another request body; use a new key.",
                    "idempotency_key_reused",
                )
            elif existing.status_code is not None:
                return _replay(existing)
            if time.monotonic() >= deadline:
                return _error(
                    409,
                    "A request with this Idempotency-Key is still being processed.",
                    "idempotency_in_progress",
                )
            time.sleep(WAIT_STEP)
    if random.randrange(PURGE_ONE_IN) == 0:
        purge_expired()
    return record


def admit(request: HttpRequest, token: Any) -> HttpResponse | None:
    """For an endpoint whose checks `token` has just passed: the response to a repeated key (the
    first one's, or 409 while it runs), or None: do the work, its response will be stored."""
    pending: Pending | None = getattr(request, PENDING_ATTR, None)
    if pending is None or pending.asked:
        return None
    pending.asked = True
    caller = caller_of(token)
    if caller is None:  # an anonymous POST: nobody to hold the key for
        return None
    outcome = _claim_or_answer(caller, pending.key, pending.method_path, pending.request_hash)
    if isinstance(outcome, HttpResponse):
        return outcome
    pending.record = outcome
    return None


def _remembered(response: HttpResponse) -> bool:
    return not (
        response.status_code >= 500
        or response.status_code in FORGET_STATUSES
        or isinstance(response, StreamingHttpResponse)
    )


def _store(record: IdempotencyRecord, response: HttpResponse) -> None:
    IdempotencyRecord.objects.filter(pk=record.pk).update(
        status_code=response.status_code,
        body=response.content,
        content_type=response.get("Content-Type", "")[:100],
    )


def _finish(request: HttpRequest, pending: Pending, response: HttpResponse) -> None:
    if pending.record is not None:
        if _remembered(response):
            _store(pending.record, response)
        else:
            IdempotencyRecord.objects.filter(pk=pending.record.pk).delete()
        return
    if pending.asked or not _remembered(response):
        return  # a repeat (already answered) or an anonymous POST; or nothing worth keeping
    # Refused before the endpoint ran (bad input), after its token passed the endpoint's checks
    # (Ninja sets request.auth only then): remembered like a response of the endpoint's own.
    caller = caller_of(getattr(request, "auth", None))
    if caller is not None:
        record = _claim(caller, pending.key, pending.method_path, pending.request_hash)
        if record is not None:
            _store(record, response)


def _body_hash(request: HttpRequest) -> str:
    """SHA-256 of the body; "" for a multipart upload (read by the endpoint as it streams in)."""
    if request.content_type == "multipart/form-data":
        return ""
    return hashlib.sha256(request.body).hexdigest()


class IdempotencyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.META.get("HTTP_IDEMPOTENCY_KEY")
        if request.method not in METHODS or not key or not request.path.startswith("/api/"):
            return self.get_response(request)
        key = key.strip()
        if not key or len(key) > MAX_KEY_LENGTH:
            return _error(
                422, f"Idempotency-Key must be 1 to {MAX_KEY_LENGTH} characters.", "invalid_idempotency_key"
            )
        # /api/v1/statuses/ is the endpoint /api/v1/statuses (agora/api/api.py _SlashTolerant): one record
        pending = Pending(key, f"{request.method} {request.path.rstrip('/')}"[:300], _body_hash(request))
        setattr(request, PENDING_ATTR, pending)
        try:
            response = self.get_response(request)
        except BaseException:
            if pending.record is not None:
                IdempotencyRecord.objects.filter(pk=pending.record.pk).delete()
            raise
        _finish(request, pending, response)
        return response

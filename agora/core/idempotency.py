"""Idempotency-Key for API POSTs: the same key from the same caller on the same path within 24 h
gets the first response back, and the work is done once.

It is a middleware (IdempotencyMiddleware, in settings.MIDDLEWARE), so every POST endpoint under
/api/ gets it without doing anything. The caller is the token's user and app: two apps of one user
never see each other's responses (an app could otherwise replay a response its own token's scopes
would not allow). For an app-only token (client credentials) the user is the negated application id.

Concurrency: the record is inserted *before* the view runs, under a unique constraint on
(user_id, application_id, key, method_path). A duplicate that arrives while the first is still running sees a record
with no response yet, waits briefly for it, then gets 409 `idempotency_in_progress`.
Failed attempts (5xx, 401, 409, 429) are forgotten so the client may retry with the same key.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.utils import timezone

from agora.core.models import IdempotencyRecord

TTL = timedelta(hours=24)
MAX_KEY_LENGTH = 200
WAIT_SECONDS = 1.0
WAIT_STEP = 0.05
# Responses not worth replaying: the request did not do its work, and a retry may succeed.
FORGET_STATUSES = {401, 408, 409, 423, 425, 429}
PURGE_ONE_IN = 200


def purge_expired() -> int:
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=timezone.now() - TTL).delete()
    return deleted


def caller_id(request: HttpRequest) -> dict[str, int] | None:
    """The record's caller fields for this request's token; None without a valid token."""
    from agora.api.auth import request_token

    header = request.META.get("HTTP_AUTHORIZATION", "")
    if header[:7].lower() != "bearer ":
        return None
    tok = request_token(request, header[7:].strip())
    if tok is None:
        return None
    app = int(tok.application_id or 0)
    if tok.user_id is not None:
        return {"user_id": int(tok.user_id), "application_id": app}
    return {"user_id": -app, "application_id": app} if app else None


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


def _claim(caller: dict[str, int], key: str, method_path: str) -> IdempotencyRecord | None:
    """Insert the record; None when one already exists (replay or wait instead)."""
    try:
        with transaction.atomic():
            return IdempotencyRecord.objects.create(**caller, key=key, method_path=method_path)
    except IntegrityError:
        return None


def _existing(caller: dict[str, int], key: str, method_path: str) -> IdempotencyRecord | None:
    return IdempotencyRecord.objects.filter(**caller, key=key, method_path=method_path).first()


def run_once(
    request: HttpRequest,
    caller: dict[str, int],
    key: str,
    get_response: Callable[[HttpRequest], HttpResponse],
) -> HttpResponse:
    method_path = f"{request.method} {request.path}"[:300]
    record = _claim(caller, key, method_path)
    if record is None:
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            existing = _existing(caller, key, method_path)
            if existing is None or existing.created_at < timezone.now() - TTL:
                if existing is not None:  # expired: this key may be used afresh
                    IdempotencyRecord.objects.filter(pk=existing.pk).delete()
                record = _claim(caller, key, method_path)
                if record is not None:
                    break
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
    try:
        response = get_response(request)
    except BaseException:
        IdempotencyRecord.objects.filter(pk=record.pk).delete()
        raise
    if (
        response.status_code >= 500
        or response.status_code in FORGET_STATUSES
        or isinstance(response, StreamingHttpResponse)
    ):
        IdempotencyRecord.objects.filter(pk=record.pk).delete()
        return response
    IdempotencyRecord.objects.filter(pk=record.pk).update(
        status_code=response.status_code,
        body=response.content,
        content_type=response.get("Content-Type", "")[:100],
    )
    return response


class IdempotencyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.META.get("HTTP_IDEMPOTENCY_KEY")
        if request.method != "POST" or not key or not request.path.startswith("/api/"):
            return self.get_response(request)
        key = key.strip()
        if not key or len(key) > MAX_KEY_LENGTH:
            return _error(
                422, f"Idempotency-Key must be 1 to {MAX_KEY_LENGTH} characters.", "invalid_idempotency_key"
            )
        caller = caller_id(request)
        if caller is None:  # no valid token: the view answers 401 (or serves an anonymous POST)
            return self.get_response(request)
        return run_once(request, caller, key, self.get_response)

"""One error shape for the whole API: {"error": "<human message>", "code": "<machine code>"}.

Domain code raises AgoraError (or a subclass); the API turns it into JSON with its status,
and web views turn it into a form error or message.
"""

from __future__ import annotations

from typing import Any


class AgoraError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, code: str | None = None, status: int | None = None, **extra: Any):
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status
        self.extra = extra

    def as_dict(self) -> dict[str, Any]:
        return {"error": self.message, "code": self.code, **self.extra}


class NotFound(AgoraError):
    status = 404
    code = "not_found"


class Forbidden(AgoraError):
    status = 403
    code = "forbidden"


class Unauthorized(AgoraError):
    status = 401
    code = "unauthorized"


class Conflict(AgoraError):
    """The request is valid but the object's state does not allow it (illegal transition, sold out)."""

    status = 409
    code = "conflict"


class Invalid(AgoraError):
    status = 422
    code = "validation_failed"


class RateLimited(AgoraError):
    status = 429
    code = "rate_limited"

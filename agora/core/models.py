from django.db import models


class IdempotencyRecord(models.Model):
    """The first response to a POST or PATCH sent with an Idempotency-Key, replayed for repeats within
    24 h."""

    user_id = models.BigIntegerField()
    # The token's app (0 for none): the same key from another app of the same user is another request.
    application_id = models.BigIntegerField(default=0)
    key = models.CharField(max_length=200)
    method_path = models.CharField(max_length=300)
    status_code = models.PositiveSmallIntegerField(null=True)
    body = models.BinaryField(null=True)
    content_type = models.CharField(max_length=100, blank=True)
    # SHA-256 of the request body (empty: not taken, e.g. a multipart upload): the same key with
    # another body is refused (422 idempotency_key_reused), not answered with the first response.
    request_hash = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user_id", "application_id", "key", "method_path"],
                name="core_idempotency_caller_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.method_path} key={self.key} caller={self.user_id}"


class OutboxMessage(models.Model):
    """Tasks a transaction queued, written in that transaction (agora/core/outbox.py): relayed to
    the broker and deleted right after the commit, or by the sweep if the process died first."""

    # A snowflake (agora/core/ids.py): time-ordered, so "older than a few seconds" is an id range.
    id = models.BigIntegerField(primary_key=True)
    # [[task name, [args], {kwargs}], ...]: every task the transaction queued, in order.
    calls = models.JSONField()
    # Sweeps that took the row and failed to publish it; past outbox.MAX_ATTEMPTS it is dead (kept,
    # not swept: `agora outbox` shows and retries it).
    attempts = models.PositiveSmallIntegerField(default=0)
    # Not before then (the sweep's backoff after a failed publish); NULL: as soon as it is old enough.
    retry_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"outbox {self.id}: {', '.join(str(c[0]) for c in self.calls)}"

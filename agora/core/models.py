from django.db import models


class IdempotencyRecord(models.Model):
    """The first response to a POST sent with an Idempotency-Key, replayed for repeats within 24 h."""

    user_id = models.BigIntegerField()
    # The token's app (0 for none): the same key from another app of the same user is another request.
    application_id = models.BigIntegerField(default=0)
    key = models.CharField(max_length=200)
    method_path = models.CharField(max_length=300)
    status_code = models.PositiveSmallIntegerField(null=True)
    body = models.BinaryField(null=True)
    content_type = models.CharField(max_length=100, blank=True)
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

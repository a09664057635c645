"""Posts and the graph between accounts: the public square's data."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower

from agora.core.fields import SnowflakeIdField

USER = settings.AUTH_USER_MODEL


class Visibility(models.TextChoices):
    PUBLIC = "public"
    UNLISTED = "unlisted"
    PRIVATE = "private"  # followers only
    DIRECT = "direct"


class Status(models.Model):
    """A post. A plain repost is a Status with `reblog_of` set and no text (Mastodon's reblog)."""

    id = SnowflakeIdField()
    author = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="statuses")
    text = models.TextField(blank=True)  # as written; the HTML is ours
    content_html = models.TextField(blank=True)
    visibility = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC)
    spoiler_text = models.CharField(max_length=500, blank=True)
    sensitive = models.BooleanField(default=False)
    language = models.CharField(max_length=10, blank=True)
    in_reply_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replies"
    )
    in_reply_to_account_id = models.BigIntegerField(null=True, blank=True)
    reblog_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="reblogs"
    )
    quote_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="quotes"
    )
    replies_count = models.PositiveIntegerField(default=0)
    reblogs_count = models.PositiveIntegerField(default=0)
    favourites_count = models.PositiveIntegerField(default=0)
    quotes_count = models.PositiveIntegerField(default=0)
    has_media = models.BooleanField(default=False)
    # Carries products (StatusProduct): a page with none skips the product queries.
    has_products = models.BooleanField(default=False)
    pinned = models.BooleanField(default=False)
    # A buyer's review published as a post (晒单): the only way a post carries "verified purchase",
    # since a review exists only for a completed order line. The rating is kept on the post (a review
    # is never edited) so the status JSON needs no query for it.
    review = models.OneToOneField(
        "reviews.Review", null=True, blank=True, on_delete=models.SET_NULL, related_name="post"
    )
    review_rating = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["author", "-id"], name="social_status_author_idx"),
            models.Index(fields=["visibility", "-id"], name="social_status_public_idx"),
            models.Index(fields=["in_reply_to"], name="social_status_reply_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "reblog_of"],
                name="social_one_reblog_per_author",
                condition=models.Q(reblog_of__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"status {self.id}"


class StatusEdit(models.Model):
    """A previous (or the first) version of a status, for GET /statuses/:id/history."""

    status = models.ForeignKey(Status, on_delete=models.CASCADE, related_name="edits")
    text = models.TextField(blank=True)
    content_html = models.TextField(blank=True)
    spoiler_text = models.CharField(max_length=500, blank=True)
    sensitive = models.BooleanField(default=False)
    media_ids = models.JSONField(default=list)
    product_ids = models.JSONField(default=list)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"statusedit {self.pk}"


class StatusMedia(models.Model):
    status = models.ForeignKey(Status, on_delete=models.CASCADE, related_name="media_links")
    media = models.ForeignKey("media.MediaAttachment", on_delete=models.CASCADE, related_name="status_links")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["status", "position"], name="social_media_position")]

    def __str__(self) -> str:
        return f"statusmedia {self.pk}"


class StatusProduct(models.Model):
    """A product a post carries (a shoppable post), in the author's order. The post keeps the title
    and picture the product had when it was attached; price, stock, rating, sales and the listing are
    read live from the market (catalog.selectors.product_facts), so the market knows nothing of posts.
    """

    status = models.ForeignKey(Status, on_delete=models.CASCADE, related_name="product_links")
    # related_name "+": the catalog has no reverse accessor to the square.
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField()
    # Attached because the text links to the product's page (kept in step with the text on edits),
    # rather than named in product_ids.
    from_link = models.BooleanField(default=False)
    title = models.CharField(max_length=120)
    image_path = models.CharField(max_length=500, blank=True)  # the picture's thumbnail URL then
    image_width = models.PositiveIntegerField(default=0)
    image_height = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["status", "position"], name="social_product_position"),
            models.UniqueConstraint(fields=["status", "product"], name="social_product_once"),
        ]
        indexes = [models.Index(fields=["product", "status"], name="social_product_status_idx")]

    def __str__(self) -> str:
        return f"statusproduct {self.pk}"


class Mention(models.Model):
    status = models.ForeignKey(Status, on_delete=models.CASCADE, related_name="mentions")
    account = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="mentioned_in")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["status", "account"], name="social_mention_unique")]

    def __str__(self) -> str:
        return f"mention {self.pk}"


class Tag(models.Model):
    """A topic: `#tag` or Weibo's `#双十一购物节#`. Names compare case-insensitively."""

    name = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(Lower("name"), name="social_tag_name_ci_unique")]

    def __str__(self) -> str:
        return f"#{self.name}"


class StatusTag(models.Model):
    status = models.ForeignKey(Status, on_delete=models.CASCADE, related_name="tag_links")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="status_links")
    # Copied from the status so a topic timeline is one index range scan.
    status_visibility = models.CharField(max_length=10)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["status", "tag"], name="social_status_tag_unique")]
        indexes = [models.Index(fields=["tag", "-status"], name="social_tag_timeline_idx")]

    def __str__(self) -> str:
        return f"statustag {self.pk}"


class Follow(models.Model):
    follower = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="following_links")
    followee = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="follower_links")
    show_reblogs = models.BooleanField(default=True)
    notify = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["follower", "followee"], name="social_follow_unique"),
            models.CheckConstraint(
                condition=~models.Q(follower=models.F("followee")), name="social_follow_not_self"
            ),
        ]
        indexes = [models.Index(fields=["followee", "follower"], name="social_follow_followee_idx")]

    def __str__(self) -> str:
        return f"follow {self.pk}"


class FollowRequest(models.Model):
    id = SnowflakeIdField()
    follower = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="sent_follow_requests")
    followee = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="follow_requests")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["follower", "followee"], name="social_follow_request_unique")
        ]

    def __str__(self) -> str:
        return f"followrequest {self.pk}"


class Block(models.Model):
    account = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="blocking_links")
    target = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="blocked_by_links")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "target"], name="social_block_unique")]
        indexes = [models.Index(fields=["target", "account"], name="social_block_target_idx")]

    def __str__(self) -> str:
        return f"block {self.pk}"


class Mute(models.Model):
    account = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="muting_links")
    target = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="muted_by_links")
    hide_notifications = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "target"], name="social_mute_unique")]

    def __str__(self) -> str:
        return f"mute {self.pk}"


class Favourite(models.Model):
    id = SnowflakeIdField()
    account = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="favourites")
    status = models.ForeignKey(Status, on_delete=models.CASCADE, related_name="favourited")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "status"], name="social_favourite_unique")]
        indexes = [models.Index(fields=["account", "-id"], name="social_fav_account_idx")]

    def __str__(self) -> str:
        return f"favourite {self.pk}"


class Bookmark(models.Model):
    id = SnowflakeIdField()
    account = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="bookmarks")
    status = models.ForeignKey(Status, on_delete=models.CASCADE, related_name="bookmarked")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "status"], name="social_bookmark_unique")]
        indexes = [models.Index(fields=["account", "-id"], name="social_bookmark_account_idx")]

    def __str__(self) -> str:
        return f"bookmark {self.pk}"


class TagFollow(models.Model):
    account = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="followed_tags")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="followers")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "tag"], name="social_tag_follow_unique")]

    def __str__(self) -> str:
        return f"tagfollow {self.pk}"


# The per-viewer flags of a status ("did I like / repost / bookmark it"): for each, the model whose
# row sets it, the column naming the viewer and the column naming the status. Everything that reads
# flags is built from this table (social/selectors.py viewer_flags, its fast path, the status JSON
# and the web cards), so a new flag is one line here plus its place in the JSON and the templates.
VIEWER_FLAGS: dict[str, tuple[type[models.Model], str, str]] = {
    "favourited": (Favourite, "account_id", "status_id"),
    "reblogged": (Status, "author_id", "reblog_of_id"),
    "bookmarked": (Bookmark, "account_id", "status_id"),
}

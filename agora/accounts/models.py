from __future__ import annotations

from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from agora.core.fields import SnowflakeIdField

HANDLE_PATTERN = r"^[A-Za-z0-9_]{1,30}$"
handle_validator = RegexValidator(
    HANDLE_PATTERN, _("Handles use 1 to 30 letters, digits or underscores."), code="invalid_handle"
)


class AgoraUserManager(UserManager["User"]):
    def get_by_natural_key(self, username: str | None) -> User:
        # Handles are case-insensitive: "Alice" logs in as "alice".
        return self.get(username__iexact=username)


class User(AbstractUser):
    """An account: a person who posts, buys and may own one shop. `username` is the @handle."""

    id = SnowflakeIdField()
    username = models.CharField(
        _("handle"),
        max_length=30,
        unique=True,
        validators=[handle_validator],
        help_text=_("1 to 30 letters, digits or underscores."),
        error_messages={"unique": _("That handle is taken.")},
    )
    email = models.EmailField(_("email address"), blank=True)
    display_name = models.CharField(_("display name"), max_length=60, blank=True)
    bio = models.TextField(_("bio"), max_length=500, blank=True)
    location = models.CharField(_("location"), max_length=60, blank=True)
    website = models.URLField(_("website"), max_length=200, blank=True)
    avatar = models.ImageField(_("avatar"), upload_to="avatars/%Y/%m/", blank=True)
    header = models.ImageField(_("header image"), upload_to="headers/%Y/%m/", blank=True)
    verified = models.BooleanField(_("verified"), default=False, help_text=_("Set by staff."))
    locked = models.BooleanField(_("locked"), default=False, help_text=_("Approve followers by hand."))
    email_confirmed = models.BooleanField(default=False)
    locale = models.CharField(max_length=10, blank=True)
    last_active_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # Denormalised counters, kept by the social app's actions with F() updates.
    followers_count = models.PositiveIntegerField(default=0)
    following_count = models.PositiveIntegerField(default=0)
    statuses_count = models.PositiveIntegerField(default=0)
    last_status_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[AgoraUserManager] = AgoraUserManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("username"), name="accounts_user_username_ci_unique"),
        ]

    def __str__(self) -> str:
        return f"@{self.username}"

    @property
    def handle(self) -> str:
        return self.username

    @property
    def name(self) -> str:
        return self.display_name or self.username

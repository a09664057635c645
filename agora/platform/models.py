"""What Agora knows about an OAuth application beyond django-oauth-toolkit's Application row."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from oauth2_provider.models import Application


class AppProfile(models.Model):
    """The scopes an app registered (Mastodon's `scopes`), its website and who owns it.

    DOT's Application holds one grant type; apps registered here may use authorization_code,
    client_credentials and refresh_token, and may never ask for a scope outside `scopes`.
    """

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="profile")
    scopes = models.CharField(_("scopes"), max_length=1000, default="read")
    website = models.URLField(_("website"), max_length=200, blank=True)
    # Null for apps registered anonymously through POST /api/v1/apps, as Mastodon allows.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="owned_apps"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["owner", "-created_at"])]

    def __str__(self) -> str:
        return self.application.name

    @property
    def scope_list(self) -> list[str]:
        return self.scopes.split()

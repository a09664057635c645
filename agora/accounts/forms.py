"""Web forms for accounts. They parse and show errors; the writes are in actions.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from agora.accounts import throttle
from agora.accounts.actions import PROFILE_TEXT_LIMITS, check_email, check_handle
from agora.accounts.selectors import handle_for_login
from agora.core.errors import AgoraError

# Domain errors carry English text and a code; the web shows the translated text for known codes.
ERROR_TEXT = {
    "invalid_handle": _("Handles use 1 to 30 letters, digits or underscores."),
    "handle_reserved": _("That handle is reserved."),
    "handle_taken": _("That handle is taken."),
    "invalid_email": _("Enter a valid email address."),
    "email_taken": _("An account with that email already exists."),
    "invalid_url": _("The website must be an http(s) URL."),
    "too_long": _("This is too long."),
    "invalid_image": _("The file is not a readable image."),
    "unsupported_media_type": _("Only JPEG, PNG, WebP and GIF images are accepted."),
    "file_too_large": _("The image is too large."),
    "invalid_locale": _("That language is not offered."),
}
# Which form field an error code belongs to, when the error does not say.
ERROR_FIELD = {
    "invalid_handle": "username",
    "handle_reserved": "username",
    "handle_taken": "username",
    "invalid_email": "email",
    "email_taken": "email",
    "weak_password": "password1",
}


def add_domain_error(form: forms.Form, exc: AgoraError, *, default_field: str | None = None) -> None:
    """Show an AgoraError on the form field it concerns (or on the form), in the user's language."""
    field = exc.extra.get("field") or ERROR_FIELD.get(exc.code) or default_field
    if field not in form.fields:
        field = None
    form.add_error(field, str(ERROR_TEXT.get(exc.code, exc.message)))


def _checked(check: Callable[[str], str], value: str) -> str:
    try:
        return check(value)
    except AgoraError as exc:
        raise ValidationError(str(ERROR_TEXT.get(exc.code, exc.message)), code=exc.code) from exc


def client_ip(request: HttpRequest | None) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is client-controlled unless a trusted proxy rewrites it.
    return request.META.get("REMOTE_ADDR", "") if request is not None else ""


class SignUpForm(forms.Form):
    username = forms.CharField(
        label=_("Handle"),
        max_length=30,
        help_text=_("Letters, digits and underscores. This is your @name and your profile address."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "username",
                "autocapitalize": "none",
                "spellcheck": "false",
                "pattern": "[A-Za-z0-9_]{1,30}",
                "autofocus": True,
            }
        ),
    )
    display_name = forms.CharField(
        label=_("Display name"),
        max_length=PROFILE_TEXT_LIMITS["display_name"],
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Email"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        help_text=_("At least 8 characters; not a common password."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    # The check_* calls here only let the form show every problem at once; do_sign_up checks again.
    def clean_username(self) -> str:
        return _checked(check_handle, self.cleaned_data["username"].strip().lstrip("@"))

    def clean_email(self) -> str:
        return _checked(check_email, self.cleaned_data["email"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords don't match."))
        return data


class LoginForm(AuthenticationForm):
    """Log in by handle (any case) or email, refusing further tries after repeated failures."""

    username = forms.CharField(
        label=_("Handle or email"),
        max_length=254,
        widget=forms.TextInput(
            attrs={
                "autofocus": True,
                "autocomplete": "username",
                "autocapitalize": "none",
                "spellcheck": "false",
            }
        ),
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("That handle or email and password don't match. Passwords are case-sensitive."),
    }

    def clean(self) -> dict[str, Any]:
        identifier = self.cleaned_data.get("username") or ""
        password = self.cleaned_data.get("password")
        if identifier and password:
            handle = handle_for_login(identifier)
            ip = client_ip(self.request)
            if throttle.is_locked(handle, ip):
                minutes = max(1, settings.AGORA.login_lock_seconds // 60)
                raise ValidationError(
                    ngettext(
                        "Too many failed log-in attempts. Try again in %(minutes)d minute, or reset your password.",
                        "Too many failed log-in attempts. Try again in %(minutes)d minutes, or reset your password.",
                        minutes,
                    )
                    % {"minutes": minutes},
                    code="locked",
                )
            self.user_cache = authenticate(self.request, username=handle, password=password)
            if self.user_cache is None:
                throttle.record_failure(handle, ip)
                raise self.get_invalid_login_error()
            throttle.clear_failures(handle, ip)
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class ProfileForm(forms.Form):
    display_name = forms.CharField(
        label=_("Display name"), max_length=PROFILE_TEXT_LIMITS["display_name"], required=False
    )
    bio = forms.CharField(
        label=_("Bio"),
        max_length=PROFILE_TEXT_LIMITS["bio"],
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Up to 500 characters."),
    )
    location = forms.CharField(
        label=_("Location"), max_length=PROFILE_TEXT_LIMITS["location"], required=False
    )
    website = forms.URLField(
        label=_("Website"),
        max_length=PROFILE_TEXT_LIMITS["website"],
        required=False,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    locale = forms.ChoiceField(
        label=_("Language"),
        required=False,
        # Each language in its own name, so anyone can find theirs.
        choices=[("", _("As my browser asks")), ("en", "English"), ("zh-hans", "简体中文")],
        help_text=_("Pages and emails use this language when you are logged in."),
    )
    locked = forms.BooleanField(
        label=_("Approve new followers by hand"),
        required=False,
    )
    avatar = forms.FileField(
        label=_("Avatar"),
        required=False,
        help_text=_("JPEG, PNG, WebP or GIF. Shown as a circle."),
        widget=forms.FileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,image/gif", "data-preview": "#avatar-preview"}
        ),
    )
    header = forms.FileField(
        label=_("Header image"),
        required=False,
        help_text=_("A wide image, about 1500 × 500."),
        widget=forms.FileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,image/gif", "data-preview": "#header-preview"}
        ),
    )

    def clean_avatar(self) -> bytes | None:
        return self._image_bytes("avatar")

    def clean_header(self) -> bytes | None:
        return self._image_bytes("header")

    def _image_bytes(self, name: str) -> bytes | None:
        upload = self.cleaned_data.get(name)
        if not upload:
            return None
        if upload.size > settings.AGORA.max_image_bytes:
            raise ValidationError(
                _("The image is larger than %(mb)d MB.")
                % {"mb": settings.AGORA.max_image_bytes // (1024 * 1024)}
            )
        return upload.read()

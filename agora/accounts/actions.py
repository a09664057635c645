"""Writes on accounts. Both the API and the web forms call these."""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from agora.accounts import events
from agora.accounts.models import HANDLE_PATTERN, User
from agora.core.errors import AgoraError, Conflict, Invalid
from agora.core.images import ProcessedImage, process_image

RESERVED_HANDLES = {"admin", "api", "oauth", "settings", "shop", "tags", "static", "media", "agora", "root"}


def check_handle(username: str) -> str:
    if not re.fullmatch(HANDLE_PATTERN, username or ""):
        raise Invalid("Handles use 1 to 30 letters, digits or underscores.", code="invalid_handle")
    if username.lower() in RESERVED_HANDLES:
        raise Invalid("That handle is reserved.", code="handle_reserved")
    if User.objects.filter(username__iexact=username).exists():
        raise Conflict("That handle is taken.", code="handle_taken")
    return username


def check_email(email: str) -> str:
    if len(email) > 254:  # the column's length (PostgreSQL would refuse it; SQLite would store it)
        raise Invalid("Enter a valid email address.", code="invalid_email")
    try:
        validate_email(email)
    except ValidationError as exc:
        raise Invalid("Enter a valid email address.", code="invalid_email") from exc
    if User.objects.filter(email__iexact=email).exists():
        raise Conflict("An account with that email already exists.", code="email_taken")
    return email.strip()


def check_password(password: str, user: User | None = None) -> str:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise Invalid(" ".join(exc.messages), code="weak_password") from exc
    return password


def do_sign_up(*, username: str, email: str, password: str, locale: str = "", display_name: str = "") -> User:
    check_handle(username)
    check_email(email)
    candidate = User(username=username, email=email)
    check_password(password, candidate)
    user = User(
        username=username,
        email=email,
        locale=locale[:10],
        display_name=display_name[:60],
        last_active_at=timezone.now(),
    )
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:  # a concurrent sign-up took the handle between check and insert
        raise Conflict("That handle is taken.", code="handle_taken") from exc
    return user


def _profile_image(field: str, data: bytes, *, max_side: int, thumb_side: int) -> ProcessedImage:
    try:
        return process_image(data, max_side=max_side, thumb_side=thumb_side)
    except AgoraError as exc:
        exc.extra.setdefault("field", field)  # say which of the two uploads was refused
        raise


def check_locale(locale: str) -> str:
    """A language code the site offers (settings.LANGUAGES), or "" for the browser's choice."""
    if locale and locale not in {code for code, _name in settings.LANGUAGES}:
        raise Invalid("That language is not offered.", code="invalid_locale", field="locale")
    return locale


PROFILE_TEXT_LIMITS = {"display_name": 60, "bio": 500, "location": 60, "website": 200}


# Profile fields that the cached JSON of the user's posts carries (agora.social.serializers).
SHOWN_ON_POSTS = {"display_name", "bio", "website", "locked", "avatar", "header"}


def do_update_profile(
    user: User,
    *,
    display_name: str | None = None,
    bio: str | None = None,
    location: str | None = None,
    website: str | None = None,
    locked: bool | None = None,
    avatar: bytes | None = None,
    header: bytes | None = None,
    locale: str | None = None,
) -> User:
    changed: list[str] = []
    if locale is not None:
        user.locale = check_locale(locale)
        changed.append("locale")
    for field, value in (
        ("display_name", display_name),
        ("bio", bio),
        ("location", location),
        ("website", website),
    ):
        if value is None:
            continue
        value = value.strip()
        if len(value) > PROFILE_TEXT_LIMITS[field]:
            raise Invalid(
                f"{field} is longer than {PROFILE_TEXT_LIMITS[field]} characters.",
                code="too_long",
                field=field,
            )
        if field == "website" and value:
            try:
                URLValidator(schemes=["http", "https"])(value)
            except ValidationError as exc:
                raise Invalid("The website must be an http(s) URL.", code="invalid_url", field=field) from exc
        setattr(user, field, value)
        changed.append(field)
    if locked is not None:
        user.locked = locked
        changed.append("locked")
    # Both images are checked before either is written, so a bad header leaves no orphan avatar file.
    avatar_img = (
        _profile_image("avatar", avatar, max_side=400, thumb_side=120) if avatar is not None else None
    )
    header_img = (
        _profile_image("header", header, max_side=1500, thumb_side=600) if header is not None else None
    )
    if avatar_img is not None:
        user.avatar.save(avatar_img.original.name or "avatar", avatar_img.original, save=False)
        changed.append("avatar")
    if header_img is not None:
        user.header.save(header_img.original.name or "header", header_img.original, save=False)
        changed.append("header")
    if changed:
        with transaction.atomic():  # the change and its outbox row commit together
            user.save(update_fields=changed)
            if set(changed) & SHOWN_ON_POSTS:
                events.PROFILE_CHANGED.publish(user.id)
    return user

"""Writes of the open platform: registering apps, issuing and revoking tokens, API sign-up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from django.core import signing
from django.db import transaction
from django.utils import timezone
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import AccessToken, Application, Grant, RefreshToken
from oauth2_provider.settings import oauth2_settings
from oauthlib.common import generate_token

from agora.accounts.actions import do_sign_up
from agora.accounts.models import User
from agora.core.errors import Invalid
from agora.core.events import after_commit
from agora.core.ids import new_id
from agora.platform import scopes as scope_rules
from agora.platform.confirmation import MAX_AGE_SECONDS, SALT
from agora.platform.models import AppProfile
from agora.platform.oauth import OOB_REDIRECT_URI
from agora.platform.selectors import checksum_of, find_token

# Schemes that would run code or read local files if a browser were redirected to them.
FORBIDDEN_REDIRECT_SCHEMES = {"javascript", "data", "file", "vbscript", "about", "blob"}
CLI_APP_NAME = "Agora CLI"


@dataclass
class RegisteredApp:
    application: Application
    profile: AppProfile
    # Shown once: DOT stores only a hash of the secret.
    client_secret: str


def check_app_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise Invalid("client_name is required.", code="validation_failed", field="client_name")
    if len(name) > 100:
        raise Invalid("client_name is longer than 100 characters.", code="too_long", field="client_name")
    return name


def _words(value: object, field: str) -> list[str]:
    """A space-separated string or a list of strings (Mastodon clients send both), as a word list."""
    if isinstance(value, str):
        return value.split()
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return [word for v in value for word in v.split()]
    raise Invalid(f"{field} must be a string or a list of strings.", code="validation_failed", field=field)


def check_redirect_uris(uris: object) -> list[str]:
    parts = _words(uris, "redirect_uris")
    if not parts:
        raise Invalid("redirect_uris is required.", code="validation_failed", field="redirect_uris")
    for uri in parts:
        if uri == OOB_REDIRECT_URI:
            continue
        split = urlsplit(uri)
        scheme = split.scheme.lower()
        # Native apps register custom schemes (myapp://callback); web apps http(s) URLs.
        if not scheme or scheme in FORBIDDEN_REDIRECT_SCHEMES or split.fragment or len(uri) > 2000:
            raise Invalid(
                f"{uri!r} is not an allowed redirect URI.", code="invalid_redirect_uri", field="redirect_uris"
            )
        if scheme in {"http", "https"} and not split.netloc:
            raise Invalid(f"{uri!r} has no host.", code="invalid_redirect_uri", field="redirect_uris")
    return list(dict.fromkeys(parts))


def check_scopes(scope: object) -> list[str]:
    # Not given: "read". Given, it must be words (an empty string or list also means "read").
    requested = list(dict.fromkeys(_words(scope, "scopes"))) if scope is not None else []
    requested = requested or ["read"]
    known = scope_rules.all_scopes()
    unknown = [s for s in requested if s not in known]
    if unknown:
        raise Invalid(f"Unknown scope: {' '.join(sorted(unknown))}.", code="invalid_scope", field="scopes")
    return sorted(requested)


def check_website(website: str | None) -> str:
    website = (website or "").strip()
    if website and urlsplit(website).scheme not in {"http", "https"}:
        raise Invalid("website must be an http(s) URL.", code="invalid_url", field="website")
    if len(website) > 200:
        raise Invalid("website is longer than 200 characters.", code="too_long", field="website")
    return website


def do_register_app(
    owner: User | None,
    *,
    name: str,
    redirect_uris: object,
    scopes: object = "read",
    website: str | None = "",
) -> RegisteredApp:
    name = check_app_name(name)
    uris = check_redirect_uris(redirect_uris)
    scope_list = check_scopes(scopes)
    website = check_website(website)
    secret = generate_client_secret()
    with transaction.atomic():
        app = Application(
            name=name,
            user=owner,
            redirect_uris=" ".join(uris),
            client_type=Application.CLIENT_CONFIDENTIAL,
            authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
            client_secret=secret,
        )
        app.save()  # hashes client_secret in place
        profile = AppProfile.objects.create(
            application=app, scopes=" ".join(scope_list), website=website, owner=owner
        )
    return RegisteredApp(application=app, profile=profile, client_secret=secret)


def do_issue_token(user: User | None, application: Application, *, scope: str) -> AccessToken:
    """An access token minted by Agora itself (CLI, the app settings page, API sign-up)."""
    scope_list = check_scopes(scope)
    return AccessToken.objects.create(
        user=user,
        application=application,
        token=generate_token(),
        scope=" ".join(scope_list),
        expires=timezone.now() + timedelta(seconds=oauth2_settings.ACCESS_TOKEN_EXPIRE_SECONDS),
    )


def cli_application() -> Application:
    """The application tokens made with `manage.py token create` belong to, created on demand."""
    profile = (
        AppProfile.objects.filter(application__name=CLI_APP_NAME, owner=None)
        .select_related("application")
        .first()
    )
    if profile is not None:
        return profile.application
    return do_register_app(
        None, name=CLI_APP_NAME, redirect_uris=OOB_REDIRECT_URI, scopes=sorted(scope_rules.all_scopes())
    ).application


def do_revoke_token(raw: str) -> bool:
    """Revoke an access token by its value; False when no such token exists."""
    tok = find_token(checksum_of(raw))
    if tok is None:
        return False
    RefreshToken.objects.filter(access_token=tok).delete()
    tok.revoke()
    return True


def do_revoke_authorization(user: User, application: Application) -> int:
    """Withdraw every token and pending code `user` gave `application` ("Authorized apps" page)."""
    with transaction.atomic():
        RefreshToken.objects.filter(user=user, application=application).delete()
        deleted, _ = AccessToken.objects.filter(user=user, application=application).delete()
        Grant.objects.filter(user=user, application=application).delete()
    return deleted


def do_delete_app(user: User, application: Application) -> None:
    """Delete an app its owner registered; every token issued to it dies with it."""
    application.delete()


def do_register_account(
    application: Application,
    *,
    username: str,
    email: str,
    password: str,
    agreement: bool,
    locale: str = "",
    display_name: str = "",
    require_confirmation: bool = False,
) -> tuple[User, AccessToken]:
    """Mastodon's POST /api/v1/accounts: sign up and hand the app a token for the new user."""
    if not agreement:
        raise Invalid("You must agree to the terms of service.", code="agreement_required", field="agreement")
    registered = application.profile.scope_list if hasattr(application, "profile") else ["read"]
    with transaction.atomic():
        user = do_sign_up(
            username=username, email=email, password=password, locale=locale, display_name=display_name
        )
        tok = do_issue_token(user, application, scope=" ".join(registered))
        if require_confirmation:
            from agora.platform.tasks import send_confirmation_email

            after_commit(send_confirmation_email, user.id, new_id())
    return user, tok


RESEND_CONFIRMATION_PER_WINDOW = 3


def do_resend_confirmation(user: User) -> None:
    """Mastodon's POST /api/v1/emails/confirmations: email the link again (a few times per window)."""
    from agora.core.errors import Forbidden, RateLimited
    from agora.core.ratelimit import hit
    from agora.platform.tasks import send_confirmation_email

    if user.email_confirmed:
        raise Forbidden("This account's email is already confirmed.", code="email_already_confirmed")
    if not hit(f"confirm-email:{user.id}", RESEND_CONFIRMATION_PER_WINDOW).allowed:
        raise RateLimited("Confirmation emails were sent recently; check your inbox or try later.")
    after_commit(send_confirmation_email, user.id, new_id())


def do_confirm_email(token: str) -> User:
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE_SECONDS)
    except signing.SignatureExpired as exc:
        raise Invalid("This confirmation link has expired.", code="link_expired") from exc
    except signing.BadSignature as exc:
        raise Invalid("This confirmation link is not valid.", code="link_invalid") from exc
    user = User.objects.filter(id=data.get("u"), is_active=True).first()
    if user is None or user.email.lower() != data.get("e"):
        raise Invalid("This confirmation link is not valid.", code="link_invalid")
    if not user.email_confirmed:
        # Conditional update: confirming twice (double click) is harmless.
        User.objects.filter(id=user.id, email_confirmed=False).update(email_confirmed=True)
        user.email_confirmed = True
    return user

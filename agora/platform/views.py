"""OAuth endpoints (Mastodon paths), server metadata, email confirmation and the developer pages."""

from __future__ import annotations

import json
import time
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from oauth2_provider.http import OAuth2ResponseRedirect
from oauth2_provider.settings import oauth2_settings
from oauth2_provider.views import AuthorizationView, RevokeTokenView, TokenView

from agora.core.errors import AgoraError, NotFound
from agora.platform import actions, consent, selectors
from agora.platform import scopes as scope_rules
from agora.platform.access import access_authorized_app, access_owned_app
from agora.platform.forms import ApplicationForm
from agora.platform.oauth import OOB_REDIRECT_URI, AgoraOAuthLibCore

SECRET_SESSION_KEY = "platform:new-secret:%s"


# --- OAuth 2 ------------------------------------------------------------------------------------------


class AuthorizeView(AuthorizationView):
    """The consent page: our template, scopes in words, out-of-band codes shown on a page."""

    template_name = "platform/authorize.html"
    oauthlib_backend_class = AgoraOAuthLibCore

    def get(self, request, *args, **kwargs):
        # Mastodon's force_login=true: always show the consent page, even for an app already approved.
        if request.GET.get("force_login", "").lower() in {"1", "true"}:
            request.GET = request.GET.copy()
            request.GET["approval_prompt"] = "force"
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["scope_items"] = consent.described(list(kwargs.get("scopes") or []))
        return context

    def redirect(self, redirect_to, application):
        if redirect_to.startswith(OOB_REDIRECT_URI):
            params = parse_qs(urlsplit(redirect_to).query)
            return render(
                self.request,
                "platform/oob.html",
                {
                    "code": params.get("code", [""])[0],
                    "error": params.get("error", [""])[0],
                    "application": application,
                },
                status=200 if "code" in params else 403,
            )
        # Native apps register custom schemes (myapp://); let them through, besides http(s).
        allowed = set(oauth2_settings.ALLOWED_REDIRECT_URI_SCHEMES)
        if application is not None:
            allowed |= {urlsplit(u).scheme for u in application.redirect_uris.split()}
        allowed -= actions.FORBIDDEN_REDIRECT_SCHEMES
        return OAuth2ResponseRedirect(redirect_to, sorted(allowed))


def _mastodon_token_body(response: HttpResponse) -> HttpResponse:
    try:
        body = json.loads(response.content or b"{}")
    except ValueError:
        return response
    if response.status_code == 200 and "access_token" in body:
        body.setdefault("created_at", int(time.time()))
    elif "error" in body:
        body.setdefault("code", body["error"])
    out = JsonResponse(body, status=response.status_code)
    for header in ("Cache-Control", "Pragma", "WWW-Authenticate"):
        if header in response:
            out[header] = response[header]
    return out


class MastodonTokenView(TokenView):
    """POST /oauth/token: form or JSON in, Mastodon's {access_token, token_type, scope, created_at} out."""

    oauthlib_backend_class = AgoraOAuthLibCore

    def post(self, request, *args, **kwargs):
        return _mastodon_token_body(super().post(request, *args, **kwargs))


class MastodonRevokeView(RevokeTokenView):
    oauthlib_backend_class = AgoraOAuthLibCore

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        if response.status_code == 200:
            return JsonResponse({})
        return _mastodon_token_body(response)


@require_GET
def authorization_server_metadata(request: HttpRequest) -> JsonResponse:
    """RFC 8414 metadata, the fields Mastodon 4.3 serves."""
    base = settings.AGORA.site_url.rstrip("/")
    return JsonResponse(
        {
            "issuer": base + "/",
            "service_documentation": base + "/api/docs",
            "authorization_endpoint": base + reverse("oauth-authorize"),
            "token_endpoint": base + reverse("oauth-token"),
            "revocation_endpoint": base + reverse("oauth-revoke"),
            "app_registration_endpoint": base + "/api/v1/apps",
            "scopes_supported": sorted(scope_rules.all_scopes()),
            "response_types_supported": ["code"],
            "response_modes_supported": ["query", "fragment", "form_post"],
            "grant_types_supported": ["authorization_code", "client_credentials", "refresh_token"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        }
    )


# --- email confirmation -------------------------------------------------------------------------------


@require_GET
def confirm_email(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user = actions.do_confirm_email(token)
    except AgoraError as exc:
        return render(request, "platform/confirm.html", {"error": exc.code}, status=400)
    return render(request, "platform/confirm.html", {"confirmed_user": user})


# --- developer pages ----------------------------------------------------------------------------------


def _owned(request: HttpRequest, app_id: int):
    try:
        return access_owned_app(request.user, app_id)  # type: ignore[arg-type]
    except NotFound as exc:
        raise Http404(exc.message) from exc


@login_required
@require_http_methods(["GET", "POST"])
def applications(request: HttpRequest) -> HttpResponse:
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            registered = actions.do_register_app(
                request.user,  # type: ignore[arg-type]
                name=form.cleaned_data["name"],
                redirect_uris=form.cleaned_data["redirect_uris"],
                scopes=form.cleaned_data["scopes"],
                website=form.cleaned_data["website"],
            )
        except AgoraError as exc:
            form.add_error(
                exc.extra.get("field") if exc.extra.get("field") in form.fields else None, exc.message
            )
        else:
            app = registered.application
            # Like Mastodon's Development page: the owner gets a token for their own app at once.
            actions.do_issue_token(request.user, app, scope=registered.profile.scopes)  # type: ignore[arg-type]
            request.session[SECRET_SESSION_KEY % app.id] = registered.client_secret
            messages.success(request, _("Application created. Copy the client secret now: it is shown once."))
            return redirect("settings-application", app_id=app.id)
    return render(
        request,
        "platform/applications.html",
        {
            "form": form,
            "apps": selectors.owned_apps(request.user),  # type: ignore[arg-type]
        },
        status=422 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def application_detail(request: HttpRequest, app_id: int) -> HttpResponse:
    app = _owned(request, app_id)
    return render(
        request,
        "platform/application_detail.html",
        {
            "app": app,
            "scope_items": consent.described(app.profile.scope_list),
            "client_secret": request.session.pop(SECRET_SESSION_KEY % app.id, None),
            "token": selectors.owner_token(request.user, app),  # type: ignore[arg-type]
        },
    )


@login_required
@require_POST
def application_delete(request: HttpRequest, app_id: int) -> HttpResponse:
    app = _owned(request, app_id)
    actions.do_delete_app(request.user, app)  # type: ignore[arg-type]
    messages.success(request, _("Application deleted; its tokens no longer work."))
    return redirect("settings-applications")


@login_required
@require_GET
def authorized_apps(request: HttpRequest) -> HttpResponse:
    rows = selectors.authorized_apps(request.user)  # type: ignore[arg-type]
    for row in rows:
        row["scope_items"] = consent.described(row["scopes"])
    return render(request, "platform/authorized_apps.html", {"rows": rows})


@login_required
@require_POST
def authorized_app_revoke(request: HttpRequest, app_id: int) -> HttpResponse:
    try:
        app = access_authorized_app(request.user, app_id)  # type: ignore[arg-type]
    except NotFound as exc:
        raise Http404(exc.message) from exc
    actions.do_revoke_authorization(request.user, app)  # type: ignore[arg-type]
    messages.success(request, _("Access revoked for %(name)s.") % {"name": app.name})
    return redirect("settings-authorized-apps")

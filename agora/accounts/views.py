"""Account pages: sign-up, log-in/out, password change and reset, profile, profile settings. Thin."""

from __future__ import annotations

from typing import Any, TypeVar

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.template.loader import select_template
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import i18n as i18n_views
from django.views.decorators.http import require_http_methods

from agora.accounts import throttle
from agora.accounts.access import access_own_account
from agora.accounts.actions import do_sign_up, do_update_profile
from agora.accounts.forms import LoginForm, ProfileForm, SignUpForm, add_domain_error, client_ip
from agora.accounts.models import User
from agora.accounts.selectors import get_user_by_handle
from agora.core.errors import AgoraError, NotFound

R = TypeVar("R", bound=HttpResponseBase)

# The social stream adds post tabs by providing social/profile.html (extending accounts/profile.html);
# the first template that exists is used, so neither app has to edit the other's view.
PROFILE_TEMPLATES = ["social/profile.html", "accounts/profile.html"]


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not throttle.spend("signup", client_ip(request), throttle.SIGNUPS_PER_IP):
            form.add_error(None, _("Too many accounts were created from your network. Try again in an hour."))
            return render(request, "accounts/signup.html", {"form": form}, status=429)
        try:
            user = do_sign_up(
                username=data["username"],
                email=data["email"],
                password=data["password1"],
                display_name=data["display_name"],
                # only a language picked with the switcher sticks; otherwise the browser keeps deciding
                locale=_chosen_language(request),
            )
        except AgoraError as exc:
            add_domain_error(form, exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                _("Welcome to %(site)s, %(name)s!") % {"site": settings.AGORA.site_title, "name": user.name},
            )
            return redirect(_safe_next(request, reverse("home")))
    return render(request, "accounts/signup.html", {"form": form, "next": request.GET.get("next", "")})


def _chosen_language(request: HttpRequest) -> str:
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    return chosen if chosen in {code for code, _name in settings.LANGUAGES} else ""


def _with_language(response: R, locale: str) -> R:
    # The account's language wins over the browser's on every device it logs in from.
    if locale:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            locale,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            secure=settings.LANGUAGE_COOKIE_SECURE,
        )
    return response


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        _with_language(response, form.get_user().locale)
        return response


class LogoutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("You have logged out."))
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordChangeForm
    template_name = "accounts/settings_password.html"
    success_url = reverse_lazy("settings-password")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, _("Your password has been changed."))
        return response


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form: Any) -> HttpResponse:
        if not throttle.spend("password-reset", client_ip(self.request), throttle.PASSWORD_RESETS_PER_IP):
            form.add_error(None, _("Too many reset requests from your network. Try again in an hour."))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)

    @property
    def extra_email_context(self) -> dict[str, str]:  # type: ignore[override]
        return {"site_title": settings.AGORA.site_title}


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
    title = gettext_lazy("Password reset complete")


def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switcher, and for a logged-in member the choice becomes their account language."""
    response = i18n_views.set_language(request)
    language = request.POST.get(i18n_views.LANGUAGE_QUERY_PARAMETER, "")
    user = request.user
    offered = {code for code, _name in settings.LANGUAGES}  # anything else Django's view ignored too
    if (
        request.method == "POST"
        and isinstance(user, User)
        and language in offered
        and language != user.locale
    ):
        do_update_profile(user, locale=language)
    return response


@require_http_methods(["GET", "HEAD"])
def profile(request: HttpRequest, handle: str) -> HttpResponse:
    try:
        account = get_user_by_handle(handle)
    except NotFound as exc:
        raise Http404(_("No account with that handle.")) from exc
    if account.username != handle:  # one address per profile: /@Alice -> /@alice
        return redirect("profile", account.username, permanent=True)
    template = select_template(PROFILE_TEMPLATES)
    context = {"account": account, "is_self": request.user.is_authenticated and request.user.pk == account.pk}
    return HttpResponse(template.render(context, request))


@login_required
def settings_index(request: HttpRequest) -> HttpResponse:
    return redirect("settings-profile")


@login_required
@require_http_methods(["GET", "POST"])
def settings_profile(request: HttpRequest) -> HttpResponse:
    account: User = request.user  # type: ignore[assignment]
    if request.method == "POST":
        account = access_own_account(account)
        previous_locale = account.locale
        form = ProfileForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                do_update_profile(
                    account,
                    display_name=data["display_name"],
                    bio=data["bio"],
                    location=data["location"],
                    website=data["website"],
                    locked=data["locked"],
                    avatar=data["avatar"],
                    header=data["header"],
                    locale=data["locale"],
                )
            except AgoraError as exc:
                add_domain_error(form, exc)
            else:
                if account.locale:
                    translation.activate(account.locale)  # the confirmation already in the new language
                messages.success(request, _("Your profile has been saved."))
                response = _with_language(redirect("settings-profile"), account.locale)
                if previous_locale and not account.locale:  # back to the browser's choice
                    response.delete_cookie(settings.LANGUAGE_COOKIE_NAME)
                return response
    else:
        form = ProfileForm(
            initial={
                "display_name": account.display_name,
                "bio": account.bio,
                "location": account.location,
                "website": account.website,
                "locked": account.locked,
                "locale": account.locale,
            }
        )
    return render(
        request,
        "accounts/settings_profile.html",
        {"form": form, "account": account},
    )

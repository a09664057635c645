"""Web pages of the public square. Thin: parse the form, call access/do, render a page or an htmx fragment."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from agora.accounts.models import User
from agora.accounts.selectors import get_user_by_handle
from agora.catalog.selectors import ProductSnapshot, listed_products, product_snapshots, with_covers
from agora.core.errors import AgoraError, NotFound
from agora.core.pagination import PageParams
from agora.core.schema import MAX_ID, parse_id
from agora.media.actions import do_upload_media, read_upload
from agora.shops.selectors import shop_of
from agora.social import actions
from agora.social.access import access_status, load_statuses
from agora.social.cards import build_cards
from agora.social.models import Follow, FollowRequest, TagFollow
from agora.social.selectors import account_timeline, find_tag, tag_timeline, thread
from agora.social.selectors import product_posts as posts_of_product

PAGE = 20


def is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))  # set by django_htmx's middleware


def page_from(request: HttpRequest) -> PageParams:
    return PageParams(max_id=parse_id(request.GET.get("max_id")), since_id=None, min_id=None, limit=PAGE)


def render_cards(
    request: HttpRequest, statuses, *, more_url: str | None, template: str = "social/_cards.html", **context
) -> HttpResponse:
    cards = build_cards(statuses, request.user)
    has_more = more_url is not None and len(statuses) >= PAGE
    context.update(
        cards=cards,
        more_url=more_url if has_more else None,
        next_max_id=statuses[-1].id if statuses else None,
    )
    if is_htmx(request) and request.GET.get("max_id"):
        template = "social/_cards.html"
    return render(request, template, context)


def compose_products(request: HttpRequest) -> list[ProductSnapshot]:
    """The listed products `?product=<id>` asks the compose form to attach (the product page's Share)."""
    ids = [i for raw in request.GET.getlist("product")[:9] if (i := parse_id(raw)) is not None]
    snaps = product_snapshots(ids)
    return [snaps[i] for i in dict.fromkeys(ids) if i in snaps and snaps[i].listed]


def _account(handle: str) -> User:
    try:
        return get_user_by_handle(handle)
    except NotFound as exc:
        raise Http404(_("No account with that handle.")) from exc


def _status(request: HttpRequest, status_id: int):
    try:
        return access_status(request.user, status_id)
    except NotFound as exc:
        raise Http404(_("This post does not exist or is not visible to you.")) from exc


def _error_fragment(request: HttpRequest, message: str, target: str) -> HttpResponse:
    response = render(request, "social/_error.html", {"message": message})
    response["HX-Retarget"] = target
    response["HX-Reswap"] = "innerHTML"
    return response


@login_required
@require_POST
def compose(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    files = request.FILES.getlist("images")
    errors_target = request.POST.get("errors_target") or "#compose-errors"
    try:
        if len(files) > settings.AGORA.max_post_media:
            raise AgoraError(
                _("At most %(n)d images may be attached.") % {"n": settings.AGORA.max_post_media}
            )
        media_ids = [
            do_upload_media(user, read_upload(f), description=request.POST.get("alt", "")).id for f in files
        ]
        status = actions.do_create_status(
            user,
            request.POST.get("status", ""),
            media_ids=media_ids,
            in_reply_to_id=_int(request.POST.get("in_reply_to_id")),
            quoted_status_id=_int(request.POST.get("quoted_status_id")),
            visibility=request.POST.get("visibility") or "public",
            spoiler_text=request.POST.get("spoiler_text", "").strip(),
            sensitive=bool(request.POST.get("sensitive")),
            language=request.POST.get("language", ""),
            product_ids=_ids(request.POST.getlist("product_ids")),
        )
    except AgoraError as exc:
        if is_htmx(request):
            return _error_fragment(request, exc.message, errors_target)
        from django.contrib import messages

        messages.error(request, exc.message)
        return redirect(_next(request))
    if is_htmx(request):
        return render(
            request,
            "social/_cards.html",
            {"cards": build_cards(load_statuses([status.id]), user), "fresh": True},
        )
    return redirect(_next(request))


@login_required
@require_POST
def share_review(request: HttpRequest, review_id: int) -> HttpResponse:
    """The buyer's review published as a post (晒单) in one click, then the post."""
    user: User = request.user  # type: ignore[assignment]
    if review_id > MAX_ID:
        raise Http404(_("No such review."))
    try:
        status = actions.do_create_status(user, "", review_id=review_id)
    except AgoraError as exc:
        from django.contrib import messages

        messages.error(request, exc.message)
        return redirect(_next(request))
    return redirect("social:status", user.username, status.id)


@require_GET
def product_posts(request: HttpRequest, product_id: int) -> HttpResponse:
    """The product page's "Posts about this product" (loaded by htmx): buyers' reviews first."""
    if product_id > MAX_ID:
        raise Http404(_("No such product."))
    statuses = posts_of_product(request.user, product_id)
    return render(
        request,
        "social/_product_posts.html",
        {"cards": build_cards(statuses, request.user), "product_id": product_id},
    )


def _int(value: str | None) -> int | None:
    return parse_id(value)


def _ids(values: list[str]) -> list[int]:
    ids = [parse_id(v) for v in values]
    if any(i is None for i in ids):
        raise AgoraError(_("That product cannot be attached."), code="unknown_product")
    return [i for i in ids if i is not None]


def _next(request: HttpRequest) -> str:
    nxt = request.POST.get("next") or request.GET.get("next") or "/"
    return nxt if url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}) else "/"


def status_detail(request: HttpRequest, handle: str, status_id: int) -> HttpResponse:
    status = _status(request, status_id)
    if status.author.username.lower() != handle.lower():
        raise Http404(_("This post does not exist or is not visible to you."))
    if status.reblog_of_id:
        return redirect("social:status", status.reblog_of.author.username, status.reblog_of_id)  # type: ignore[union-attr]
    ancestors, descendants = thread(request.user, status)
    cards = build_cards(ancestors + [status] + descendants, request.user)
    n = len(ancestors)
    return render(
        request,
        "social/status_detail.html",
        {
            "status": status,
            "ancestors": cards[:n],
            "main": cards[n],
            "replies": cards[n + 1 :],
        },
    )


ACTIONS: dict[str, Callable[..., Any]] = {
    "favourite": actions.do_favourite,
    "unfavourite": actions.do_unfavourite,
    "reblog": actions.do_reblog,
    "unreblog": actions.do_unreblog,
    "bookmark": actions.do_bookmark,
    "unbookmark": actions.do_unbookmark,
}


@login_required
@require_POST
def status_action(request: HttpRequest, status_id: int, action: str) -> HttpResponse:
    status = _status(request, status_id)
    if action == "delete":
        try:
            actions.do_delete_status(request.user, status)  # type: ignore[arg-type]
        except NotFound as exc:
            raise Http404(exc.message) from exc
        return HttpResponse("") if is_htmx(request) else redirect("home")
    fn = ACTIONS.get(action)
    if fn is None:
        raise Http404()
    try:
        fn(request.user, status)
    except AgoraError as exc:
        return HttpResponse(exc.message, status=exc.status)
    target = status.reblog_of_id or status.id
    if is_htmx(request):
        return render(
            request, "social/_card.html", {"card": build_cards(load_statuses([target]), request.user)[0]}
        )
    return redirect(_next(request))


def follow_state(viewer, account: User) -> str:
    if not viewer.is_authenticated or viewer.pk == account.pk:
        return "self"
    if Follow.objects.filter(follower_id=viewer.pk, followee=account).exists():
        return "following"
    if FollowRequest.objects.filter(follower_id=viewer.pk, followee=account).exists():
        return "requested"
    return "none"


@login_required
@require_POST
def follow_toggle(request: HttpRequest, handle: str) -> HttpResponse:
    account = _account(handle)
    try:
        if follow_state(request.user, account) in ("following", "requested"):
            actions.do_unfollow(request.user, account)  # type: ignore[arg-type]
        else:
            actions.do_follow(request.user, account)  # type: ignore[arg-type]
    except AgoraError as exc:
        return HttpResponse(exc.message, status=exc.status)
    if is_htmx(request):
        return render(
            request,
            "social/_follow_button.html",
            {"account": account, "follow_state": follow_state(request.user, account)},
        )
    return redirect("profile", account.username)


TABS = {"posts", "replies", "media", "shop"}


def profile_tab(request: HttpRequest, handle: str, tab: str = "posts") -> HttpResponse:
    account = _account(handle)
    if tab not in TABS:
        raise Http404()
    if tab == "shop":
        return _shop_tab(request, account)
    page = page_from(request)
    statuses = account_timeline(
        request.user, account, page, exclude_replies=tab == "posts", only_media=tab == "media", tab=tab
    )
    return render_cards(
        request,
        statuses,
        more_url=reverse("social:profile-tab", args=[account.username, tab]),
        template="social/profile.html",
        account=account,
        tab=tab,
        is_self=request.user.is_authenticated and request.user.pk == account.pk,
    )


def _shop_tab(request: HttpRequest, account: User) -> HttpResponse:
    """The Shop tab of a profile whose owner runs a shop: its products (the market's read)."""
    shop = shop_of(account.pk)
    if shop is None:
        raise Http404(_("This account has no shop."))
    products = with_covers(list(listed_products(shop_id=shop.id).order_by("-id")[:60]))
    request._agora_account_shops = {account.pk: shop}  # type: ignore[attr-defined]  # shop_tags' memo
    return render(
        request,
        "social/profile.html",
        {
            "account": account,
            "tab": "shop",
            "cards": [],  # not None: the profile shows this tab, not the posts
            "products": products,
            "is_self": request.user.is_authenticated and request.user.pk == account.pk,
        },
    )


def tag_page(request: HttpRequest, name: str) -> HttpResponse:
    tag = find_tag(name)
    statuses = tag_timeline(request.user, name, page_from(request)) if tag else []
    following = bool(
        tag
        and request.user.is_authenticated
        and TagFollow.objects.filter(account_id=request.user.pk, tag=tag).exists()
    )
    return render_cards(
        request,
        statuses,
        more_url=reverse("social:tag", args=[name]),
        template="social/tag.html",
        tag=tag,
        name=name,
        following=following,
    )


@login_required
@require_POST
def tag_follow_toggle(request: HttpRequest, name: str) -> HttpResponse:
    tag = find_tag(name)
    if tag and TagFollow.objects.filter(account_id=request.user.pk, tag=tag).exists():
        actions.do_unfollow_tag(request.user, name)  # type: ignore[arg-type]
    else:
        try:
            actions.do_follow_tag(request.user, name)  # type: ignore[arg-type]
        except AgoraError as exc:
            return HttpResponse(exc.message, status=exc.status)
    return redirect("social:tag", name)

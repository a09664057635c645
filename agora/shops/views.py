from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agora.catalog.access import access_product
from agora.catalog.actions import do_create_product, do_update_product
from agora.catalog.selectors import categories, listed_products, shop_products, with_covers
from agora.core.errors import AgoraError, Invalid
from agora.core.pagination import PageParams
from agora.core.schema import parse_id
from agora.media.actions import do_upload_media, read_upload
from agora.orders import actions as order_actions
from agora.orders.selectors import sales_chart, seller_orders
from agora.payments.selectors import recent_shop_movements, shop_balances
from agora.shops.actions import do_create_shop, do_update_shop
from agora.shops.selectors import public_shop, shop_of
from agora.social.announce import announcement_text, do_announce_product
from agora.social.cards import build_cards
from agora.social.selectors import account_timeline
from agora.web.errors import attempt, page_errors


@page_errors
def shop_page(request: HttpRequest, shop_id: int) -> HttpResponse:
    shop = public_shop(shop_id)
    products = with_covers(list(listed_products(shop_id=shop.id).order_by("-id")[:60]))
    return render(request, "shops/shop.html", {"shop": shop, "products": products, "tab": "products"})


POSTS_PAGE = 20


@page_errors
def shop_posts(request: HttpRequest, shop_id: int) -> HttpResponse:
    """The shop page's Posts tab: its owner's posts (not replies) as the reader may see them, the
    square's read; a shop is followed by following its owner."""
    shop = public_shop(shop_id)
    page = PageParams(
        max_id=parse_id(request.GET.get("max_id")), since_id=None, min_id=None, limit=POSTS_PAGE
    )
    statuses = account_timeline(request.user, shop.owner, page, exclude_replies=True, tab="posts")
    context = {
        "shop": shop,
        "tab": "posts",
        "cards": build_cards(statuses, request.user),
        "more_url": reverse("shop-posts", args=[shop.id]) if len(statuses) >= POSTS_PAGE else None,
        "next_max_id": statuses[-1].id if statuses else None,
    }
    if getattr(request, "htmx", None) and request.GET.get("max_id"):
        return render(request, "social/_cards.html", context)
    return render(request, "shops/shop.html", context)


def _shop_fields(post: Any) -> dict[str, Any]:
    return {k: post.get(k, "") for k in ("name", "description", "shipping_fee", "return_policy")} | {
        "free_shipping_threshold": post.get("free_shipping_threshold") or None
    }


@page_errors
def _upload(request: HttpRequest, name: str) -> list[int]:
    return [do_upload_media(request.user, read_upload(f)).id for f in request.FILES.getlist(name)]  # type: ignore[arg-type]


@page_errors
@login_required
def seller_centre(request: HttpRequest) -> HttpResponse:
    shop = shop_of(request.user.pk)
    if request.method == "POST":
        try:
            logo = _upload(request, "logo")
            fields = _shop_fields(request.POST)
            if shop is None:
                shop = do_create_shop(request.user, logo_id=logo[0] if logo else None, **fields)  # type: ignore[arg-type]
            else:
                do_update_shop(request.user, shop, logo_id=logo[0] if logo else None, **fields)  # type: ignore[arg-type]
            messages.success(request, _("Shop saved."))
        except AgoraError as exc:
            messages.error(request, exc.message)
        return redirect("seller")
    if shop is None:
        return render(request, "shops/seller_open.html", {})
    products = list(shop_products(shop))
    for p in products:
        p.announcement = announcement_text(p)  # type: ignore[attr-defined]  # the Announce form's text
    return render(
        request,
        "shops/seller.html",
        {
            "shop": shop,
            "orders": seller_orders(shop),
            "products": products,
            "balance": shop_balances(shop),
            "entries": recent_shop_movements(shop),
            "chart": sales_chart(shop),
            "categories": categories(),
        },
    )


def _variants_from_post(post: Any) -> list[dict[str, Any]]:
    def column(name: str, i: int) -> str:
        # A crafted post may send fewer values in one column than in `sku`: read those as empty.
        values = post.getlist(name)
        return values[i].strip() if i < len(values) else ""

    rows = []
    for i in range(len(post.getlist("sku"))):
        sku = column("sku", i)
        if not sku:
            continue
        options = {}
        for pair in column("options", i).split(","):
            if ":" in pair:
                k, v = pair.split(":", 1)
                options[k.strip()] = v.strip()
        stock_raw = column("stock", i) or "0"
        row: dict[str, Any] = {
            "sku": sku,
            "options": options,
            "price": column("price", i),
            "stock": int(stock_raw) if stock_raw.lstrip("-").isdigit() else stock_raw,
        }
        vid = column("variant_id", i)
        shown = column("stock_shown", i)
        if (vid and not vid.isdigit()) or (shown and not shown.isdigit()):
            raise Invalid(_("The form does not match this product's variants."), code="invalid_variant")
        if vid:
            row["id"] = int(vid)
            if shown:
                # the count the form showed: the action applies the seller's change, not the number
                row["stock_shown"] = int(shown)
        rows.append(row)
    return rows


@page_errors
@login_required
def product_editor(request: HttpRequest, product_id: int | None = None) -> HttpResponse:
    shop = shop_of(request.user.pk)
    if shop is None:
        return redirect("seller")
    product = access_product(request.user, product_id, manage=True) if product_id else None  # type: ignore[arg-type]
    if request.method == "POST":
        try:
            variants = _variants_from_post(request.POST)
            fields: dict[str, Any] = {
                "title": request.POST.get("title", ""),
                "description": request.POST.get("description", ""),
                "category": request.POST.get("category") or None,
            }
            images = _upload(request, "images")
            if product is None:
                product = do_create_product(
                    request.user,  # type: ignore[arg-type]
                    shop,
                    media_ids=images,
                    variants=variants,
                    **fields,
                )
            else:
                do_update_product(
                    request.user,  # type: ignore[arg-type]
                    product,
                    variants=variants,
                    media_ids=[*product.image_ids, *images] if images else None,
                    is_listed=request.POST.get("listed") == "on",
                    **fields,
                )
            messages.success(request, _("Product saved."))
            return redirect("seller-product", product_id=product.id)
        except AgoraError as exc:
            messages.error(request, exc.message)
    return render(
        request,
        "shops/product_form.html",
        {
            "shop": shop,
            "product": product,
            "categories": categories(),
            "variants": list(product.variants.all()) if product else [],
            "blank_rows": range(3 if not product else 1),
        },
    )


@page_errors
@login_required
@require_POST
def announce_product(request: HttpRequest, product_id: int) -> HttpResponse:
    """Announce: the product as a post, posted now with the text of the seller centre's form."""
    status = attempt(
        request, do_announce_product, request.user, product_id, text=request.POST.get("text", "")
    )
    if status is not None:
        messages.success(request, _("Announced to your followers."))
    return redirect(reverse("seller") + "#products")


@page_errors
@login_required
@require_POST
def seller_order_action(request: HttpRequest, order_id: int, action: str) -> HttpResponse:
    if action == "ship":
        attempt(
            request,
            order_actions.do_ship_order,
            request.user,
            order_id,
            carrier=request.POST.get("carrier", ""),
            tracking_number=request.POST.get("tracking_number", ""),
        )
    elif action == "approve":
        attempt(request, order_actions.do_approve_refund, request.user, order_id)
    elif action == "refuse":
        attempt(
            request, order_actions.do_refuse_refund, request.user, order_id, note=request.POST.get("note", "")
        )
    nxt = request.POST.get("next") or ""
    # only a path on this site: an absolute or protocol-relative `next` would be an open redirect
    if nxt.startswith("/") and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return redirect(nxt)
    return redirect("seller")

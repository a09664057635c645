from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from agora.cart.actions import do_add_to_cart
from agora.cart.selectors import cart_view
from agora.catalog.access import access_product
from agora.catalog.selectors import variant_for_sale, with_covers
from agora.core.errors import AgoraError, Invalid
from agora.core.schema import parse_id
from agora.orders import actions
from agora.orders.access import access_order
from agora.orders.checkout import Wanted, do_checkout
from agora.orders.models import ADDRESS_FIELDS
from agora.orders.selectors import addresses_of, buy_sheet, orders_of_buyer
from agora.orders.state import can
from agora.orders.sweep import maybe_sweep
from agora.payments.actions import do_start_payment
from agora.payments.gateways import get_gateway
from agora.social.access import visible_status_ids
from agora.web.errors import attempt, page_errors


def _buy_now(source: QueryDict) -> list[Wanted]:
    try:
        return [Wanted(int(source.get("variant_id", "")), int(source.get("quantity", "1") or "1"))]
    except (KeyError, ValueError):
        return []


@page_errors
@login_required
def checkout_page(request: HttpRequest) -> HttpResponse:
    source = request.GET if request.method == "GET" else request.POST
    from_cart = source.get("from_cart") == "1"
    items = [] if from_cart else _buy_now(source)
    if request.method == "POST":
        try:
            chosen = request.POST.get("address_id") or "new"
            if chosen == "new":
                fields = {f: request.POST.get(f, "") for f in ADDRESS_FIELDS}
                address_id = actions.do_create_address(request.user, **fields).id  # type: ignore[arg-type]
            elif chosen.isdigit():
                address_id = int(chosen)
            else:  # a crafted form: int() would raise ValueError, which is not an AgoraError (500)
                raise Invalid(_("Choose one of your addresses."), code="invalid_address")
            maybe_sweep()
            orders = do_checkout(
                request.user,  # type: ignore[arg-type]
                address_id=address_id,
                items=items,
                from_cart=from_cart,
                idempotency_key=request.POST.get("idempotency_key"),
            )
            # The checkout form's key also keys its payment: a resent form gets the same one.
            key = request.POST.get("idempotency_key")
            payment = do_start_payment(
                request.user,  # type: ignore[arg-type]
                [o.id for o in orders],
                idempotency_key=f"checkout:{key}" if key else None,
            )
            return redirect(get_gateway(payment.gateway).pay_url(payment))
        except AgoraError as exc:
            messages.error(request, exc.message)
    preview = None
    if not from_cart and items:
        variant = variant_for_sale(items[0].variant_id)
        preview = {
            "variant": variant,
            "quantity": items[0].quantity,
            "total": variant.price * items[0].quantity if variant else None,
        }
    return render(
        request,
        "orders/checkout.html",
        {
            "addresses": addresses_of(request.user.pk),
            "from_cart": from_cart,
            "cart": cart_view(request.user) if from_cart else None,  # type: ignore[arg-type]
            "preview": preview,
            "items": items,
            "idempotency_key": uuid.uuid4().hex,
        },
    )


@page_errors
@login_required
def order_list(request: HttpRequest) -> HttpResponse:
    maybe_sweep()
    orders = orders_of_buyer(request.user.pk).select_related("shop").prefetch_related("lines")[:50]
    return render(request, "orders/list.html", {"orders": orders})


@page_errors
@login_required
def order_detail(request: HttpRequest, order_id: int) -> HttpResponse:
    order = access_order(request.user, order_id)  # type: ignore[arg-type]
    lines = list(order.lines.all().select_related("review"))
    is_buyer = order.buyer_id == request.user.id
    return render(
        request,
        "orders/detail.html",
        {
            "order": order,
            "lines": lines,
            "events": order.events.select_related("actor"),
            "is_buyer": is_buyer,
            "is_seller": order.shop.owner_id == request.user.id,
            "can_pay": is_buyer and can(order, "pay"),
            "pay_key": uuid.uuid4().hex,  # a double click on "Pay" starts one payment
            "can_cancel": is_buyer and can(order, "cancel"),
            "can_confirm": is_buyer and can(order, "confirm_receipt"),
            "can_refund": is_buyer and can(order, "request_refund"),
        },
    )


@page_errors
@login_required
@require_POST
def order_action(request: HttpRequest, order_id: int, action: str) -> HttpResponse:
    user = request.user
    if action == "cancel":
        attempt(request, actions.do_cancel_order, user, order_id)
    elif action == "confirm":
        attempt(request, actions.do_confirm_receipt, user, order_id)
    elif action == "refund":
        attempt(
            request,
            actions.do_request_refund,
            user,
            order_id,
            reason=request.POST.get("reason", ""),
            amount=request.POST.get("amount") or None,
        )
    elif action == "pay":
        key = request.POST.get("idempotency_key")
        payment = attempt(request, do_start_payment, user, [order_id], idempotency_key=key)
        if payment:
            return redirect(get_gateway(payment.gateway).pay_url(payment))
    return redirect("order", order_id=order_id)


# --- the buy sheet --------------------------------------------------------------------------------
# Buy and Add to cart on any product card (orders/_buy_buttons.html) open this sheet in place with
# htmx: a <dialog> appended to the page (a bottom sheet on a phone), whose body re-renders itself as
# the buyer picks a variant, a quantity or an address; without JavaScript it is a page of its own.
SHEET_BODY = "buy-sheet-body"  # the id of the sheet's body: htmx names it in HX-Target


def _sheet_error(exc: AgoraError) -> str:
    """Checkout's and the cart's refusals in the buyer's language (the API's English messages name
    ids). A missing variant is one delisted meanwhile; a missing address one deleted meanwhile."""
    if exc.code == "not_found" and "address" in exc.message:
        return _("Choose one of your addresses.")
    if exc.code == "no_address":
        return _("Add an address to ship to.")
    if exc.code == "out_of_stock":
        return _("Sold out meanwhile: %(n)d left of this option. Choose again.") % {
            "n": exc.extra.get("available", 0)
        }
    if exc.code in ("unavailable", "not_found"):
        return _("This option is no longer for sale.")
    if exc.code == "own_shop":
        return _("You cannot buy from your own shop.")
    if exc.code == "invalid_address":
        return _("Fill in the recipient, phone, city and street.")
    if exc.code in ("invalid_quantity", "empty_checkout"):
        return _("Choose an option and a quantity.")
    return exc.message


def _back_to(request: HttpRequest, product_id: int) -> str:
    """Where signing in should come back to: the page the sheet was opened on, else the sheet page."""
    current = request.headers.get("HX-Current-URL", "")
    if current:
        parts = urlsplit(current)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if parts.netloc == request.get_host() and url_has_allowed_host_and_scheme(
            path, allowed_hosts={request.get_host()}
        ):
            return path
    return request.get_full_path() if request.method == "GET" else reverse("buy-sheet", args=[product_id])


def _render_sheet(request: HttpRequest, product: Any, source: QueryDict, **state: Any) -> HttpResponse:
    user = request.user
    step = {"-1": -1, "1": 1}.get(source.get("step", ""), 0)  # the stepper's - and +
    quantity = (parse_id(source.get("quantity")) or 1) + step
    sheet = buy_sheet(
        product,
        user.pk if user.is_authenticated else None,
        variant_id=parse_id(source.get("variant_id")),
        quantity=quantity,
        address_id=parse_id(source.get("address_id")),
    )
    source_id = parse_id(source.get("source_status_id") or source.get("source"))
    if (
        source_id is not None
        and user.is_authenticated
        and source_id not in visible_status_ids(user, [source_id])
    ):
        source_id = None  # a post the buyer may not see is dropped, as if never given
    key = state.pop("key", None) or uuid.uuid4().hex
    htmx = getattr(request, "htmx", None)
    context = {
        "sheet": sheet,
        "product": product,
        "cover": with_covers([product])[0].cover,  # type: ignore[attr-defined]
        "mode": "cart" if source.get("mode") == "cart" else "buy",
        "source_status_id": source_id,
        "idempotency_key": key,
        "adding_address": bool(source.get("add_address")) or (user.is_authenticated and not sheet.addresses),
        "in_dialog": bool(htmx),
        "typed": {f: source.get(f, "") for f in ADDRESS_FIELDS},
        "login_url": resolve_url(settings.LOGIN_URL)
        + "?"
        + urlencode({"next": _back_to(request, product.id)}),
        **state,
    }
    if not htmx:
        template = "orders/buy.html"
    elif htmx.target == SHEET_BODY:
        template = "orders/_buy_sheet_body.html"
    else:
        template = "orders/_buy_sheet.html"
    return render(request, template, context)


def _key(request: HttpRequest) -> str | None:
    raw = request.POST.get("idempotency_key", "")
    return raw if raw.isascii() and raw.isalnum() and len(raw) <= 64 else None


@page_errors
@require_http_methods(["GET", "POST"])
def buy_sheet_view(request: HttpRequest, product_id: int) -> HttpResponse:
    """GET: the sheet (the dialog, its body when htmx re-renders it, or a page without htmx).
    POST (CSRF-checked): action=buy places the order through checkout and goes to payment (an
    HX-Redirect); action=cart adds to the cart; action=address saves a new address. Every refusal
    shows in the sheet; nobody signed in is asked to sign in, then comes back."""
    product = access_product(request.user, product_id)  # type: ignore[arg-type]
    if request.method == "GET" or not request.user.is_authenticated:
        return _render_sheet(request, product, request.GET if request.method == "GET" else request.POST)
    user = request.user
    post = request.POST.copy()
    # The clicked button names the action; a form sent by Enter (or a button htmx left out) by its fields.
    action = post.get("action") or (
        "address" if "recipient" in post else "cart" if post.get("mode") == "cart" else "buy"
    )
    key = _key(request)
    try:
        if action == "address":
            fields = {f: post.get(f, "") for f in ADDRESS_FIELDS if f in post}
            address = actions.do_create_address(user, **fields)  # type: ignore[arg-type]
            post["address_id"] = str(address.id)
            post.pop("add_address", None)
            return _render_sheet(request, product, post, key=key)
        variant_id, quantity = parse_id(post.get("variant_id")), parse_id(post.get("quantity")) or 0
        source = parse_id(post.get("source_status_id"))
        if source is not None and source not in visible_status_ids(user, [source]):
            source = None
        if variant_id is None:
            raise Invalid(_("Choose an option and a quantity."), code="invalid_quantity")
        if action == "cart":
            do_add_to_cart(user, variant_id, quantity=quantity, source_status_id=source)  # type: ignore[arg-type]
            return _render_sheet(request, product, post, key=key, added=True)
        address_id = parse_id(post.get("address_id"))
        if address_id is None:
            raise Invalid(_("Add an address to ship to."), code="no_address")
        maybe_sweep()
        orders = do_checkout(
            user,  # type: ignore[arg-type]
            address_id=address_id,
            items=[Wanted(variant_id, quantity, source)],
            idempotency_key=key,
        )
        # The sheet's key also keys its payment: a double click gets one order and one payment.
        payment = do_start_payment(
            user,  # type: ignore[arg-type]
            [o.id for o in orders],
            idempotency_key=f"checkout:{key}" if key else None,
        )
    except AgoraError as exc:
        return _render_sheet(request, product, post, key=key, error=_sheet_error(exc))
    url = get_gateway(payment.gateway).pay_url(payment)
    if getattr(request, "htmx", None):
        response = HttpResponse(status=200)
        response["HX-Redirect"] = url
        return response
    return redirect(url)

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agora.cart.selectors import cart_view
from agora.catalog.selectors import variant_for_sale
from agora.core.errors import AgoraError, Invalid
from agora.orders import actions
from agora.orders.access import access_order
from agora.orders.checkout import Wanted, do_checkout
from agora.orders.models import ADDRESS_FIELDS
from agora.orders.selectors import addresses_of, orders_of_buyer
from agora.orders.state import can
from agora.orders.sweep import maybe_sweep
from agora.payments.actions import do_start_payment
from agora.payments.gateways import get_gateway
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

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from agora.cart.access import access_cart_item
from agora.cart.actions import do_remove_cart_item, do_update_cart_item
from agora.cart.selectors import cart_view
from agora.web.errors import attempt, page_errors


@page_errors
@login_required
def cart_page(request: HttpRequest) -> HttpResponse:
    template = "cart/_cart.html" if request.htmx else "cart/cart.html"  # type: ignore[attr-defined]
    return render(request, template, {"cart": cart_view(request.user)})  # type: ignore[arg-type]


@page_errors
@login_required
@require_POST
def cart_item(request: HttpRequest, item_id: int) -> HttpResponse:
    item = access_cart_item(request.user, item_id)  # type: ignore[arg-type]
    if request.POST.get("action") == "remove":
        do_remove_cart_item(request.user, item)  # type: ignore[arg-type]
    else:
        try:
            quantity = int(request.POST.get("quantity", ""))
        except ValueError:
            quantity = 0
        attempt(request, do_update_cart_item, request.user, item, quantity=quantity)
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "cart/_cart.html", {"cart": cart_view(request.user)})  # type: ignore[arg-type]
    return redirect("cart")

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from agora.payments.access import access_payment
from agora.payments.actions import do_sandbox_outcome
from agora.payments.gateways import sandbox
from agora.payments.selectors import payment_orders
from agora.web.errors import attempt, page_errors


@page_errors
@login_required
def sandbox_pay_page(request: HttpRequest, payment_id: int) -> HttpResponse:
    """The SANDBOX provider's checkout page: no real money; the buttons decide the outcome."""
    if not settings.AGORA.payment_sandbox:
        raise Http404("The sandbox payment gateway is switched off on this site.")
    payment = access_payment(request.user, payment_id)  # type: ignore[arg-type]
    orders = payment_orders(payment)
    if request.method == "POST":
        outcome = "succeeded" if request.POST.get("outcome") == "succeeded" else "failed"
        result = attempt(request, do_sandbox_outcome, request.user, payment.id, outcome)
        if result == "captured":
            messages.success(request, _("Payment received."))
        elif result == "failed":
            messages.error(request, _("The payment failed; you can try again."))
        return redirect("order", order_id=orders[0].id) if len(orders) == 1 else redirect("orders")
    return render(
        request, "payments/sandbox.html", {"payment": payment, "orders": orders, "label": sandbox().label}
    )

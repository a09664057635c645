"""The buy sheet (orders/views.py buy_sheet_view): what it shows, and Confirm placing the order
through checkout (both paths) and going to payment; errors in the sheet, never a 500."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from agora.cart.models import CartItem
from agora.catalog.models import Variant
from agora.catalog.testing import make_product
from agora.orders.models import Order, OrderLine
from agora.orders.testing import make_address
from agora.payments.models import Payment
from agora.shops.testing import make_shop
from agora.social.actions import do_create_status

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("both_paths")]
HTMX = {"HX-Request": "true"}
BODY = {"HX-Request": "true", "HX-Target": "buy-sheet-body"}


@pytest.fixture
def shop_and_buyer(make_user):
    seller, buyer = make_user("seller"), make_user("buyer")
    shop = make_shop(seller, shipping_fee="8.00", free_shipping_threshold="100.00")
    product = make_product(shop, price="30.00", stock=5, variants=2, title="Tea cup")
    client = Client()
    client.force_login(buyer)
    return seller, buyer, product, client


def _sheet(client, product, **params):
    return client.get(f"/market/buy/{product.id}", params, headers=BODY)


def _confirm(client, product, variant, **fields):
    data = {"action": "buy", "variant_id": variant.id, "quantity": 1, "idempotency_key": "k" * 32} | fields
    return client.post(f"/market/buy/{product.id}", data, headers=HTMX)


def test_the_sheet_opens_as_a_dialog_with_the_default_address_and_the_total(shop_and_buyer):
    # given a buyer with two addresses, the second their default
    _seller, buyer, product, client = shop_and_buyer
    make_address(buyer)
    home = make_address(buyer)
    home.recipient = "Han Meimei"
    home.save()
    from agora.orders.actions import do_update_address

    do_update_address(buyer, home, is_default=True)
    # when Buy opens the sheet
    res = client.get(f"/market/buy/{product.id}", headers=HTMX)
    # then it is a dialog, on the default address, priced as checkout prices it (30 + 8 shipping)
    html = res.content.decode()
    assert res.status_code == 200 and html.startswith("<dialog")
    assert "Han Meimei" in html and 'name="csrfmiddlewaretoken"' in html
    assert "¥38.00" in html and "Confirm · ¥38.00" in html
    # and four of them cross the free-shipping threshold: 120, no shipping
    body = _sheet(client, product, quantity=4).content.decode()
    assert "¥120.00" in body and "Free" in body and "<dialog" not in body


def test_sold_out_variants_are_disabled_and_the_quantity_is_kept_within_stock(shop_and_buyer):
    _seller, buyer, product, client = shop_and_buyer
    make_address(buyer)
    v1, v2 = product.variants.order_by("id")
    Variant.objects.filter(id=v1.id).update(stock=0)
    # asking for the sold-out one picks the one in stock; 9 of 5 is 5
    html = _sheet(client, product, variant_id=v1.id, quantity=9).content.decode()
    assert f'value="{v1.id}" disabled' in html and f'value="{v2.id}" checked' in html
    assert 'name="quantity" value="5"' in html
    # the stepper adds one within the stock
    html = _sheet(client, product, variant_id=v2.id, quantity=2, step="1").content.decode()
    assert 'name="quantity" value="3"' in html


def test_confirm_places_one_order_and_redirects_to_the_sandbox_pay_page(shop_and_buyer):
    _seller, buyer, product, client = shop_and_buyer
    address = make_address(buyer)
    v1 = product.variants.order_by("id").first()
    # when the buyer confirms twice with the sheet's key (a double click)
    first = _confirm(client, product, v1, quantity=2, address_id=address.id)
    second = _confirm(client, product, v1, quantity=2, address_id=address.id)
    # then one order and one payment, and both answers go to its pay page
    assert first.status_code == 200 and first["HX-Redirect"] == second["HX-Redirect"]
    assert "/pay/sandbox/" in first["HX-Redirect"] or "sandbox" in first["HX-Redirect"]
    order = Order.objects.get(buyer=buyer)
    assert order.total == Decimal("68.00") and Payment.objects.count() == 1
    assert Variant.objects.get(id=v1.id).stock == 3
    # without htmx it is a plain redirect
    res = client.post(
        f"/market/buy/{product.id}",
        {
            "action": "buy",
            "variant_id": v1.id,
            "quantity": 1,
            "address_id": address.id,
            "idempotency_key": "x1",
        },
    )
    assert res.status_code == 302 and "sandbox" in res["Location"]


def test_errors_show_in_the_sheet(shop_and_buyer, make_user):
    seller, buyer, product, client = shop_and_buyer
    v1 = product.variants.order_by("id").first()
    # no address yet: the sheet asks for one instead of a Confirm
    html = _sheet(client, product).content.decode()
    assert 'name="recipient"' in html and 'name="action" value="address"' in html
    assert 'name="action" value="buy"' not in html
    res = _confirm(client, product, v1)
    assert res.status_code == 200 and "Add an address to ship to." in res.content.decode()
    # a half-filled address is refused in the sheet
    res = client.post(f"/market/buy/{product.id}", {"action": "address", "recipient": "Li"}, headers=HTMX)
    assert "Fill in the recipient, phone, city and street." in res.content.decode()
    # a full one is saved and becomes the sheet's address
    fields = {"recipient": "Li Lei", "phone": "138", "city": "Hangzhou", "street": "1 Lake Rd"}
    res = client.post(
        f"/market/buy/{product.id}", {"action": "address", "variant_id": v1.id, **fields}, headers=HTMX
    )
    html = res.content.decode()
    assert 'data-testid="sheet-address"' in html and "Li Lei" in html and 'name="action" value="buy"' in html
    address = buyer.addresses.get()
    # sold out meanwhile: 5 left, 6 wanted
    res = _confirm(client, product, v1, quantity=6, address_id=address.id)
    assert "Sold out meanwhile: 5 left" in res.content.decode() and not Order.objects.exists()
    # someone else's address
    other = make_address(make_user("other"))
    res = _confirm(client, product, v1, address_id=other.id, idempotency_key="k2")
    assert "Choose one of your addresses." in res.content.decode()
    # a delisted product: the product is gone (404 page, as the product page)
    product.is_listed = False
    product.save()
    assert _confirm(client, product, v1, address_id=address.id).status_code == 404
    # the seller sees their own product's sheet without a Confirm
    own = Client()
    own.force_login(seller)
    product.is_listed = True
    product.save()
    assert "your own shop" in _sheet(own, product).content.decode()


def test_not_signed_in_is_asked_to_sign_in_and_come_back(shop_and_buyer):
    _seller, _buyer, product, _client = shop_and_buyer
    v1 = product.variants.order_by("id").first()
    anon = Client()
    res = anon.get(
        f"/market/buy/{product.id}", headers={**HTMX, "HX-Current-URL": "http://testserver/market?q=tea"}
    )
    html = res.content.decode()
    assert res.status_code == 200 and "/login?next=%2Fmarket%3Fq%3Dtea" in html
    # another site's page is not a place to come back to
    res = anon.get(f"/market/buy/{product.id}", headers={**HTMX, "HX-Current-URL": "http://evil.example/x"})
    assert "evil" not in res.content.decode()
    # a POST without a session (expired) shows the same, orders nothing
    res = anon.post(f"/market/buy/{product.id}", {"action": "buy", "variant_id": v1.id}, headers=HTMX)
    assert res.status_code == 200 and "Sign in to buy" in res.content.decode()
    assert not Order.objects.exists()


def test_the_form_needs_its_csrf_token(shop_and_buyer):
    _seller, buyer, product, _client = shop_and_buyer
    address = make_address(buyer)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(buyer)
    v1 = product.variants.order_by("id").first()
    res = strict.post(
        f"/market/buy/{product.id}", {"action": "buy", "variant_id": v1.id, "address_id": address.id}
    )
    assert res.status_code == 403 and not Order.objects.exists()


def test_crafted_input_is_never_a_500(shop_and_buyer):
    _seller, buyer, product, client = shop_and_buyer
    make_address(buyer)
    for params in ({"variant_id": "x"}, {"quantity": "-3"}, {"address_id": "9" * 30}, {"step": "7"}):
        assert _sheet(client, product, **params).status_code == 200
    for data in (
        {"action": "buy"},
        {"action": "buy", "variant_id": "abc"},
        {"action": "cart", "quantity": "x"},
    ):
        res = client.post(f"/market/buy/{product.id}", data, headers=HTMX)
        assert res.status_code == 200 and 'role="alert"' in res.content.decode()
    assert client.get("/market/buy/123").status_code == 404


def test_add_to_cart_from_a_post_records_it_and_checkout_carries_it_to_the_line(shop_and_buyer, make_user):
    seller, buyer, product, client = shop_and_buyer
    address = make_address(buyer)
    v1, v2 = product.variants.order_by("id")
    post = do_create_status(seller, "New tea cups")
    hidden = do_create_status(seller, "for @nobody only", visibility="direct")
    # when the buyer adds one from the post, and one from a post they may not see
    res = client.post(
        f"/market/buy/{product.id}",
        {"action": "cart", "mode": "cart", "variant_id": v1.id, "quantity": 1, "source_status_id": post.id},
        headers=HTMX,
    )
    assert 'data-testid="sheet-added"' in res.content.decode()
    client.post(
        f"/market/buy/{product.id}",
        {"action": "cart", "variant_id": v2.id, "quantity": 1, "source_status_id": hidden.id},
        headers=HTMX,
    )
    # then the cart keeps the visible post only
    assert dict(CartItem.objects.values_list("variant_id", "source_status_id")) == {
        v1.id: post.id,
        v2.id: None,
    }
    # and checking out the cart carries it to the order line
    from agora.orders.checkout import do_checkout

    do_checkout(buyer, address_id=address.id, from_cart=True)
    assert dict(OrderLine.objects.values_list("variant_id", "source_status_id")) == {
        v1.id: post.id,
        v2.id: None,
    }


def test_buying_from_a_post_in_the_sheet_records_the_post(shop_and_buyer):
    seller, buyer, product, client = shop_and_buyer
    address = make_address(buyer)
    v1 = product.variants.order_by("id").first()
    post = do_create_status(seller, "New tea cups")
    html = client.get(f"/market/buy/{product.id}", {"source": post.id}, headers=HTMX).content.decode()
    assert f'name="source_status_id" value="{post.id}"' in html
    _confirm(client, product, v1, address_id=address.id, source_status_id=post.id)
    assert OrderLine.objects.get().source_status_id == post.id

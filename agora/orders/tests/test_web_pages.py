from __future__ import annotations

import pytest
from django.test import Client

from agora.catalog.testing import first_variant, make_product
from agora.orders.models import Order
from agora.orders.testing import make_address
from agora.payments.models import Payment
from agora.payments.testing import buy
from agora.shops.testing import make_shop

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_buyer_pages_buy_now_pay_and_review_flow(make_user):
    seller, buyer = make_user("seller"), make_user("buyer")
    shop = make_shop(seller, return_policy="7 days no reason")
    product = make_product(shop, price="49.00", stock=3, title="Teapot")
    v = first_variant(product)
    web = _client(buyer)
    assert "Teapot" in web.get("/market").content.decode()
    page = web.get(f"/market/products/{product.id}").content.decode()
    assert "3 in stock" in page and "¥49.00" in page
    assert "Teapot" in Client().get(f"/shop/{shop.id}").content.decode()
    # buy now -> checkout with a new address -> sandbox pay page
    res = web.post(f"/market/products/{product.id}/buy", {"variant_id": v.id, "quantity": 2, "action": "buy"})
    assert res.status_code == 302 and "/market/checkout" in res["Location"]
    assert "Teapot" in web.get(res["Location"]).content.decode()
    res = web.post(
        "/market/checkout",
        {
            "variant_id": v.id,
            "quantity": 2,
            "address_id": "new",
            "recipient": "Li",
            "phone": "1",
            "city": "Hangzhou",
            "street": "1 Rd",
            "idempotency_key": "k1",
        },
    )
    assert res.status_code == 302 and res["Location"].startswith("/pay/sandbox/")
    pay_page = web.get(res["Location"]).content.decode()
    assert "SANDBOX" in pay_page and "¥98.00" in pay_page
    res = web.post(res["Location"], {"outcome": "succeeded"})
    order = Order.objects.get()
    assert order.status == "paid" and Payment.objects.get().status == "succeeded"
    detail = web.get(f"/market/orders/{order.id}").content.decode()
    assert "Paid" in detail and "awaiting_payment" in detail  # status history
    # the seller ships from the seller centre, the buyer confirms and reviews
    seller_web = _client(seller)
    assert "¥98.00" in seller_web.get("/market/seller").content.decode()
    seller_web.post(f"/market/seller/orders/{order.id}/ship", {"carrier": "SF", "tracking_number": "SF9"})
    web.post(f"/market/orders/{order.id}/confirm")
    order.refresh_from_db()
    assert order.status == "completed"
    web.post(f"/market/reviews/{order.lines.get().id}", {"rating": "5", "text": "Lovely"})
    # the review shows which variant was bought, by its options (not its SKU)
    assert "size: S</span><p>Lovely</p>" in web.get(f"/market/products/{product.id}").content.decode()
    assert "¥98.00" in seller_web.get("/market/seller").content.decode()  # released to the balance


def test_cart_page_and_htmx_update(make_user):
    buyer = make_user("buyer")
    v = first_variant(make_product(make_shop(make_user("s")), price="5.00", stock=9))
    web = _client(buyer)
    web.post(f"/market/products/{v.product_id}/buy", {"variant_id": v.id, "quantity": 1, "action": "cart"})
    page = web.get("/market/cart").content.decode()
    assert "SKU-0" in page
    item_id = buyer.cart_items.get().id
    partial = web.post(
        f"/market/cart/items/{item_id}", {"quantity": 4, "action": "update"}, HTTP_HX_REQUEST="true"
    )
    assert (
        partial.status_code == 200
        and "¥20.00" in partial.content.decode()
        and "<html" not in partial.content.decode()
    )
    make_address(buyer)
    res = web.post("/market/checkout", {"from_cart": "1", "address_id": str(buyer.addresses.get().id)})
    assert res.status_code == 302 and Order.objects.get().total.to_integral() == 20


def test_strangers_get_404_on_order_pages(make_user):
    buyer = make_user("buyer")
    v = first_variant(make_product(make_shop(make_user("s")), stock=2))
    order = buy(buyer, v, 1)
    assert _client(make_user()).get(f"/market/orders/{order.id}").status_code == 404
    payment_res = _client(buyer).post(f"/market/orders/{order.id}/pay")
    pid = payment_res["Location"].rsplit("/", 1)[1]
    assert _client(make_user()).get(f"/pay/sandbox/{pid}").status_code == 404


def test_seller_opens_shop_and_creates_product_with_variants(make_user):
    web = _client(make_user("maker"))
    assert "Open a shop" in web.get("/market/seller").content.decode()
    web.post("/market/seller", {"name": "Maker's", "shipping_fee": "6.00"})
    res = web.post(
        "/market/seller/products/new",
        {
            "title": "Scarf",
            "description": "",
            "category": "",
            "variant_id": ["", "", ""],
            "sku": ["S-R", "S-B", ""],
            "options": ["颜色:红", "颜色:蓝", ""],
            "price": ["59.00", "61.00", ""],
            "stock": ["3", "4", "0"],
        },
    )
    assert res.status_code == 302
    page = web.get(res["Location"]).content.decode()
    assert "S-R" in page and "S-B" in page
    assert "Scarf" in web.get("/market/seller").content.decode()


def test_pages_speak_simplified_chinese(make_user):
    buyer = make_user("buyer")
    product = make_product(make_shop(make_user("s")), stock=2)
    web = _client(buyer)
    page = web.get(f"/market/products/{product.id}", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "立即购买" in page and "加入购物车" in page and "库存 2 件" in page
    assert "购物车是空的" in web.get("/market/cart", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "开店" in web.get("/market/seller", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

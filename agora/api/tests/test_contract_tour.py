"""Every operation of the OpenAPI document, called once with good input on real objects, answers a
documented success status with a body its documented schema accepts (additionalProperties false:
no undocumented key either).

Schemathesis (test_schemathesis.py) mostly meets ids it made up; this tour meets the real thing:
posts with media, reposts, replies and mentions, notifications, a locked account's follow requests,
a shop's orders through payment, shipping, receipt, review, cancel and both refund outcomes. A new
operation must be added here: the tour fails if one is not visited.
"""

from __future__ import annotations

import io
import json
import re
from typing import Any

import jsonschema_rs
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import MULTIPART_CONTENT
from PIL import Image

from conftest import ApiClient

# Committed, as in production: notifications and timelines are written by tasks run after commit.
pytestmark = pytest.mark.django_db(transaction=True)

SCOPES = "read write follow push profile read:orders write:orders read:shop write:shop"


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 6), (20, 120, 220)).save(out, "PNG")
    return out.getvalue()


class Tour:
    """Calls operations by their documented path and checks each answer against the document."""

    def __init__(self) -> None:
        from agora.api.api import api

        self.doc = json.loads(json.dumps(api.get_openapi_schema()))
        self.visited: set[str] = set()

    def call(self, client: ApiClient, method: str, template: str, data: Any = None, **kwargs: Any) -> Any:
        values = {k: kwargs.pop(k) for k in re.findall(r"\{(\w+)\}", template)}
        path = template.format(**values)
        response = getattr(client, method.lower())(path, data, **kwargs)
        operation = self.doc["paths"][template][method.lower()]
        label = f"{method} {template}"
        self.visited.add(label)
        status = str(response.status_code)
        assert 200 <= response.status_code < 300, (label, response.status_code, response.content[:500])
        assert status in operation["responses"], (label, status, "undocumented")
        schema = operation["responses"][status]["content"]["application/json"]["schema"]
        body = response.json()
        validator = jsonschema_rs.Draft202012Validator(
            {**schema, "components": self.doc["components"]}, validate_formats=True
        )
        errors = [f"{e.instance_path}: {e.message}" for e in validator.iter_errors(body)]
        assert not errors, (label, errors[:5], json.dumps(body)[:800])
        return body

    def unvisited(self) -> set[str]:
        return {
            f"{method.upper()} {path}" for path, item in self.doc["paths"].items() for method in item
        } - self.visited


@pytest.fixture
def tour(make_user, make_token, settings):
    import dataclasses

    settings.AGORA = dataclasses.replace(settings.AGORA, rate_limit_per_token=10**9, rate_limit_per_ip=10**9)
    return Tour()


def test_every_operation_answers_as_documented(tour, make_user, make_token, client):
    from agora.catalog.testing import first_variant, make_product, seed_categories
    from agora.payments.gateways import SIGNATURE_HEADER, sandbox
    from agora.payments.models import Payment
    from agora.shops.testing import make_shop

    me, them, third = make_user("tourist"), make_user("neighbour"), make_user("third")
    c = ApiClient(make_token(me, SCOPES))
    n = ApiClient(make_token(them, SCOPES))
    t = ApiClient(make_token(third, SCOPES))
    anonymous = ApiClient()
    call = tour.call

    # --- instance, apps, accounts --------------------------------------------------------------------
    call(anonymous, "GET", "/api/v2/instance")
    call(anonymous, "GET", "/api/v1/instance")
    call(
        anonymous,
        "POST",
        "/api/v1/apps",
        {"client_name": "Tour", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob", "scopes": "read write"},
    )
    call(c, "GET", "/api/v1/apps/verify_credentials")
    call(c, "POST", "/api/v1/emails/confirmations")
    call(
        c,
        "POST",
        "/api/v1/accounts",
        {
            "username": "newcomer",
            "email": "newcomer@example.com",
            "password": "a long Pa55word!",
            "agreement": True,
        },
    )
    call(c, "GET", "/api/v1/accounts/verify_credentials")
    call(
        c,
        "PATCH",
        "/api/v1/accounts/update_credentials",
        {"display_name": "Tourist", "note": "I travel.\n\nA lot.", "website": "https://tourist.example/x"},
    )
    call(anonymous, "GET", "/api/v1/accounts/lookup", {"acct": "neighbour"})
    call(anonymous, "GET", "/api/v1/accounts/{account_id}", account_id=them.id)

    # --- media and posts ---------------------------------------------------------------------------------
    picture = call(
        c,
        "POST",
        "/api/v2/media",
        {"file": SimpleUploadedFile("a.png", _png()), "description": "blue", "focus": "0.5,-0.25"},
        content_type=MULTIPART_CONTENT,
    )
    other_picture = call(
        c,
        "POST",
        "/api/v1/media",
        {"file": SimpleUploadedFile("b.png", _png())},
        content_type=MULTIPART_CONTENT,
    )
    call(c, "GET", "/api/v1/media/{media_id}", media_id=picture["id"])
    call(c, "PUT", "/api/v1/media/{media_id}", {"description": "very blue"}, media_id=picture["id"])
    theirs = call(n, "POST", "/api/v1/statuses", {"status": "hello @tourist, see #agora"})
    mine = call(
        c,
        "POST",
        "/api/v1/statuses",
        {"status": "back at you #agora", "in_reply_to_id": theirs["id"], "media_ids": [picture["id"]]},
    )
    quote = call(c, "POST", "/api/v1/statuses", {"status": "look", "quoted_status_id": theirs["id"]})
    call(anonymous, "GET", "/api/v1/statuses/{status_id}", status_id=quote["id"])
    call(
        c,
        "PUT",
        "/api/v1/statuses/{status_id}",
        {"status": "back at you, edited #agora", "media_ids": [picture["id"], other_picture["id"]]},
        status_id=mine["id"],
    )
    call(c, "GET", "/api/v1/statuses/{status_id}/context", status_id=mine["id"])
    call(c, "GET", "/api/v1/statuses/{status_id}/history", status_id=mine["id"])
    call(c, "GET", "/api/v1/statuses/{status_id}/source", status_id=mine["id"])
    reblog = call(
        c, "POST", "/api/v1/statuses/{status_id}/reblog", {"visibility": "public"}, status_id=theirs["id"]
    )
    assert reblog["reblog"]["id"] == theirs["id"]
    call(n, "GET", "/api/v1/statuses/{status_id}/reblogged_by", status_id=theirs["id"])
    call(c, "POST", "/api/v1/statuses/{status_id}/unreblog", status_id=theirs["id"])
    call(c, "POST", "/api/v1/statuses/{status_id}/favourite", status_id=theirs["id"])
    call(n, "GET", "/api/v1/statuses/{status_id}/favourited_by", status_id=theirs["id"])
    call(c, "GET", "/api/v1/favourites")
    call(c, "POST", "/api/v1/statuses/{status_id}/unfavourite", status_id=theirs["id"])
    call(c, "POST", "/api/v1/statuses/{status_id}/bookmark", status_id=theirs["id"])
    call(c, "GET", "/api/v1/bookmarks")
    call(c, "POST", "/api/v1/statuses/{status_id}/unbookmark", status_id=theirs["id"])
    call(c, "POST", "/api/v1/statuses/{status_id}/pin", status_id=mine["id"])
    call(c, "POST", "/api/v1/statuses/{status_id}/unpin", status_id=mine["id"])

    # --- relationships -------------------------------------------------------------------------------------
    call(
        c,
        "POST",
        "/api/v1/accounts/{account_id}/follow",
        {"reblogs": True, "notify": "1"},
        account_id=them.id,
    )
    call(n, "POST", "/api/v1/accounts/{account_id}/follow", account_id=me.id)
    call(c, "GET", "/api/v1/accounts/relationships", {"id[]": [them.id, third.id]})
    call(anonymous, "GET", "/api/v1/accounts/{account_id}/statuses", account_id=them.id)
    call(anonymous, "GET", "/api/v1/accounts/{account_id}/followers", account_id=me.id)
    call(anonymous, "GET", "/api/v1/accounts/{account_id}/following", account_id=me.id)
    call(c, "GET", "/api/v1/timelines/home")
    call(anonymous, "GET", "/api/v1/timelines/public")
    call(anonymous, "GET", "/api/v1/timelines/tag/{name}", name="agora")
    call(c, "POST", "/api/v1/accounts/{account_id}/remove_from_followers", account_id=them.id)
    call(c, "POST", "/api/v1/accounts/{account_id}/unfollow", account_id=them.id)
    call(c, "POST", "/api/v1/accounts/{account_id}/mute", {"notifications": False}, account_id=third.id)
    call(c, "GET", "/api/v1/mutes")
    call(c, "POST", "/api/v1/accounts/{account_id}/unmute", account_id=third.id)
    call(c, "POST", "/api/v1/accounts/{account_id}/block", account_id=third.id)
    call(c, "GET", "/api/v1/blocks")
    call(c, "POST", "/api/v1/accounts/{account_id}/unblock", account_id=third.id)
    call(c, "PATCH", "/api/v1/accounts/update_credentials", {"locked": "true"})
    call(n, "POST", "/api/v1/accounts/{account_id}/follow", account_id=me.id)
    call(t, "POST", "/api/v1/accounts/{account_id}/follow", account_id=me.id)
    call(c, "GET", "/api/v1/follow_requests")
    call(c, "POST", "/api/v1/follow_requests/{account_id}/authorize", account_id=them.id)
    call(c, "POST", "/api/v1/follow_requests/{account_id}/reject", account_id=third.id)

    # --- topics and notifications ----------------------------------------------------------------------------
    call(anonymous, "GET", "/api/v1/tags/{name}", name="agora")
    call(c, "POST", "/api/v1/tags/{name}/follow", name="agora")
    call(c, "GET", "/api/v1/followed_tags")
    call(c, "POST", "/api/v1/tags/{name}/unfollow", name="agora")
    notes = call(c, "GET", "/api/v1/notifications", {"types[]": ["mention", "follow", "follow_request"]})
    assert notes
    call(c, "GET", "/api/v1/notifications/unread_count")
    call(c, "GET", "/api/v1/notifications/{notification_id}", notification_id=notes[0]["id"])
    call(c, "POST", "/api/v1/notifications/{notification_id}/dismiss", notification_id=notes[0]["id"])
    call(c, "POST", "/api/v1/notifications/clear")
    call(c, "DELETE", "/api/v1/statuses/{status_id}", status_id=quote["id"])

    # --- shops and the catalogue ------------------------------------------------------------------------------
    their_product = make_product(make_shop(them, shipping_fee="8.00"), price="30.00", stock=50, variants=2)
    variant = first_variant(their_product)
    logo = call(
        c,
        "POST",
        "/api/v2/media",
        {"file": SimpleUploadedFile("l.png", _png())},
        content_type=MULTIPART_CONTENT,
    )
    shop = call(
        c, "POST", "/api/v1/shops", {"name": "Tour shop", "shipping_fee": "5.00", "logo_id": logo["id"]}
    )
    call(anonymous, "GET", "/api/v1/shops/{shop_id}", shop_id=shop["id"])
    call(c, "PATCH", "/api/v1/shops/{shop_id}", {"free_shipping_threshold": "99.00"}, shop_id=shop["id"])
    seed_categories()  # the migration's tree, gone if an earlier transactional test flushed the tables
    categories = call(anonymous, "GET", "/api/v1/categories")
    product = call(
        c,
        "POST",
        "/api/v1/shops/{shop_id}/products",
        {
            "title": "Tea",
            "category": categories[0]["slug"],
            "variants": [{"sku": "TEA-50", "options": {"size": "50 g"}, "price": "12.50", "stock": 5}],
        },
        shop_id=shop["id"],
    )
    call(anonymous, "GET", "/api/v1/products", {"category": categories[0]["slug"], "sort": "price_asc"})
    call(anonymous, "GET", "/api/v1/products/{product_id}", product_id=product["id"])
    call(
        c,
        "PATCH",
        "/api/v1/products/{product_id}",
        {
            "variants": [
                {"id": product["variants"][0]["id"], "stock_delta": 3},
                {"sku": "TEA-100", "price": "22.00"},
            ]
        },
        product_id=product["id"],
    )
    call(c, "DELETE", "/api/v1/products/{product_id}", product_id=product["id"])

    # --- cart, addresses, checkout ------------------------------------------------------------------------------
    cart = call(c, "POST", "/api/v1/cart/items", {"variant_id": str(variant.id), "quantity": 2})
    item = cart["shops"][0]["items"][0]["id"]
    call(c, "PATCH", "/api/v1/cart/items/{item_id}", {"quantity": 3}, item_id=item)
    call(c, "GET", "/api/v1/cart")
    call(c, "DELETE", "/api/v1/cart/items/{item_id}", item_id=item)
    address = call(
        c,
        "POST",
        "/api/v1/addresses",
        {"recipient": "Li Lei", "phone": "138", "city": "Hangzhou", "street": "1 Lake Rd"},
    )
    spare = call(
        c,
        "POST",
        "/api/v1/addresses",
        {"recipient": "Han", "phone": "139", "city": "Suzhou", "street": "2 Canal St"},
    )
    call(
        c,
        "PATCH",
        "/api/v1/addresses/{address_id}",
        {"district": "Gusu", "is_default": True},
        address_id=spare["id"],
    )
    call(c, "GET", "/api/v1/addresses")
    call(c, "DELETE", "/api/v1/addresses/{address_id}", address_id=spare["id"])

    def order() -> dict:
        placed = call(
            c,
            "POST",
            "/api/v1/checkout",
            {"address_id": address["id"], "items": [{"variant_id": str(variant.id)}]},
        )
        return placed["orders"][0]

    def pay(order_id: str) -> None:
        payment = call(c, "POST", "/api/v1/orders/{order_id}/payments", order_id=order_id)
        call(c, "GET", "/api/v1/payments/{payment_id}", payment_id=payment["id"])
        call(
            c,
            "POST",
            "/api/v1/payments/{payment_id}/sandbox",
            {"outcome": "succeeded"},
            payment_id=payment["id"],
        )

    delivered = order()
    pay(delivered["id"])
    call(c, "GET", "/api/v1/orders", {"status": "paid"})
    call(
        n,
        "POST",
        "/api/v1/orders/{order_id}/ship",
        {"carrier": "SF", "tracking_number": "SF1"},
        order_id=delivered["id"],
    )
    call(c, "POST", "/api/v1/orders/{order_id}/confirm_receipt", order_id=delivered["id"])
    detail = call(c, "GET", "/api/v1/orders/{order_id}", order_id=delivered["id"])
    assert [e["from"] for e in detail["history"]][:2] == [None, "awaiting_payment"]
    review = call(
        c, "POST", "/api/v1/reviews", {"line_id": detail["lines"][0]["id"], "rating": 5, "text": "good"}
    )
    call(anonymous, "GET", "/api/v1/products/{product_id}/reviews", product_id=their_product.id)
    # the review published as a post (晒单): stars and the verified-purchase badge in agora_review
    haul = call(c, "POST", "/api/v1/statuses", {"agora_review_id": review["id"]})
    assert haul["agora_review"] == {"id": review["id"], "rating": 5, "verified_purchase": True}

    cancelled = order()
    call(c, "POST", "/api/v1/orders/{order_id}/cancel", order_id=cancelled["id"])

    refused = order()
    pay(refused["id"])
    call(c, "POST", "/api/v1/orders/{order_id}/refund", {"reason": "changed my mind"}, order_id=refused["id"])
    call(n, "POST", "/api/v1/orders/{order_id}/refund/refuse", {"note": "no"}, order_id=refused["id"])
    refunded = order()
    pay(refunded["id"])
    call(
        c,
        "POST",
        "/api/v1/orders/{order_id}/refund",
        {"reason": "broken", "amount": "10.00"},
        order_id=refunded["id"],
    )
    call(n, "POST", "/api/v1/orders/{order_id}/refund/approve", order_id=refunded["id"])

    their_shop = their_product.shop_id
    call(n, "GET", "/api/v1/shops/{shop_id}/orders", shop_id=their_shop)
    call(n, "GET", "/api/v1/shops/{shop_id}/orders/{order_id}", shop_id=their_shop, order_id=delivered["id"])
    call(n, "GET", "/api/v1/shops/{shop_id}/balance", shop_id=their_shop)
    call(n, "GET", "/api/v1/shops/{shop_id}/ledger", shop_id=their_shop)

    # A gateway's own notification, signed: a payment started and then paid by the provider.
    unpaid = order()
    started = call(c, "POST", "/api/v1/orders/{order_id}/payments", order_id=unpaid["id"])
    body, signature = sandbox().notification(Payment.objects.get(id=started["id"]), "succeeded")
    call(
        anonymous,
        "POST",
        "/api/v1/payments/callback/{gateway}",
        json.loads(body),
        gateway="sandbox",
        headers={SIGNATURE_HEADER: signature},
    )
    # --- a shoppable post: its card and products, then an edit that changes them ------------------------
    shoppable = call(
        c, "POST", "/api/v1/statuses", {"status": "my haul", "product_ids": [str(their_product.id)]}
    )
    assert shoppable["card"] and shoppable["agora_products"][0]["id"] == str(their_product.id)
    call(
        c,
        "PUT",
        "/api/v1/statuses/{status_id}",
        {"status": "my haul, again", "product_ids": []},
        status_id=shoppable["id"],
    )

    # --- boards: a product, a post and one of its pictures saved; a neighbour follows ----------------
    board = call(c, "POST", "/api/v1/boards", {"name": "Kitchen", "description": "pots"})
    call(c, "GET", "/api/v1/boards")
    call(n, "GET", "/api/v1/boards/{board_id}", board_id=board["id"])
    call(anonymous, "GET", "/api/v1/accounts/{account_id}/boards", account_id=me.id)
    saved = call(
        c,
        "POST",
        "/api/v1/boards/{board_id}/pins",
        {"product_id": str(their_product.id)},
        board_id=board["id"],
    )
    call(c, "POST", "/api/v1/boards/{board_id}/pins", {"status_id": theirs["id"]}, board_id=board["id"])
    call(
        c,
        "POST",
        "/api/v1/boards/{board_id}/pins",
        {"media_id": picture["id"], "note": "this blue"},
        board_id=board["id"],
    )
    call(
        c,
        "PATCH",
        "/api/v1/boards/{board_id}",
        {"name": "Cooking", "cover_pin_id": saved["id"]},
        board_id=board["id"],
    )
    call(anonymous, "GET", "/api/v1/boards/{board_id}/pins", board_id=board["id"])
    call(n, "POST", "/api/v1/boards/{board_id}/follow", board_id=board["id"])
    call(n, "POST", "/api/v1/boards/{board_id}/unfollow", board_id=board["id"])
    call(c, "DELETE", "/api/v1/boards/{board_id}/pins/{pin_id}", board_id=board["id"], pin_id=saved["id"])
    call(c, "DELETE", "/api/v1/boards/{board_id}", board_id=board["id"])

    call(c, "DELETE", "/api/v1/statuses/{status_id}", status_id=mine["id"])

    assert not tour.unvisited(), sorted(tour.unvisited())

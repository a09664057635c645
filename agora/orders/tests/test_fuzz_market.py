"""Whatever a client sends to the market endpoints, the answer is a 2xx or a 4xx in our shape."""

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agora.catalog.testing import first_variant, make_product
from agora.orders.testing import make_address
from agora.shops.testing import make_shop

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=3)
    ),
    max_leaves=6,
)
ids = st.one_of(st.integers(), st.text(max_size=25), st.just("117772452265680897"))
FUZZ = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def assert_clean(response):
    assert response.status_code < 500, response.content
    if response.status_code >= 400:
        body = response.json()
        assert isinstance(body.get("error"), str) and isinstance(body.get("code"), str), body


@pytest.fixture
def world(make_user, api_client):
    buyer = make_user()
    product = make_product(make_shop(make_user()), stock=3)
    address = make_address(buyer)
    api = api_client(buyer, scope="read:orders write:orders read:shop write:shop")
    return api, first_variant(product), address, product


@FUZZ
@given(
    body=st.fixed_dictionaries(
        {},
        optional={
            "address_id": ids,
            "items": json_values
            | st.lists(st.fixed_dictionaries({"variant_id": ids, "quantity": st.integers()}), max_size=3),
            "from_cart": json_values,
        },
    )
)
def test_checkout_never_500s(world, body):
    api, variant, address, product = world
    assert_clean(api.post("/api/v1/checkout", body))


@FUZZ
@given(
    path=st.sampled_from(
        [
            "/api/v1/cart/items",
            "/api/v1/addresses",
            "/api/v1/reviews",
            "/api/v1/shops",
            "/api/v1/orders/{x}/refund",
            "/api/v1/orders/{x}/payments",
            "/api/v1/orders/{x}/ship",
            "/api/v1/payments/{x}/sandbox",
            "/api/v1/shops/{x}/products",
        ]
    ),
    x=st.one_of(st.integers(min_value=0), st.just(99999999999999999999999)).map(str),
    body=json_values
    | st.dictionaries(
        st.sampled_from(
            [
                "variant_id",
                "quantity",
                "recipient",
                "phone",
                "city",
                "street",
                "line_id",
                "rating",
                "name",
                "reason",
                "amount",
                "outcome",
                "title",
                "variants",
                "carrier",
                "tracking_number",
                "shipping_fee",
            ]
        ),
        json_values | ids,
        max_size=6,
    ),
)
def test_market_posts_never_500(world, path, x, body):
    api, variant, address, product = world
    assert_clean(api.post(path.replace("{x}", x), body))


@FUZZ
@given(
    path=st.sampled_from(
        [
            "/api/v1/products/{x}",
            "/api/v1/shops/{x}",
            "/api/v1/orders/{x}",
            "/api/v1/products/{x}/reviews",
            "/api/v1/payments/{x}",
        ]
    ),
    x=st.one_of(st.integers(min_value=0), st.just(99999999999999999999999)).map(str),
    query=st.dictionaries(
        st.sampled_from(["q", "sort", "category", "shop_id", "limit", "max_id", "offset"]),
        st.text(max_size=25),
        max_size=4,
    ),
)
def test_market_reads_never_500(world, path, x, query):
    api, *_ = world
    assert_clean(api.get(path.replace("{x}", x), query))
    assert_clean(Client().get("/api/v1/products", query))


def test_callback_with_garbage_is_4xx(db):
    for body in (b"", b"{}", b"not json", b'{"payment_id": "1"}'):
        assert_clean(
            Client().post(
                "/api/v1/payments/callback/sandbox",
                body,
                content_type="application/json",
                headers={"X-Agora-Signature": "00"},
            )
        )
    assert_clean(Client().post("/api/v1/payments/callback/nope", b"{}", content_type="application/json"))

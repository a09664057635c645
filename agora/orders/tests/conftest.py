"""The checkout tests' market: a seller's shop (shipping 8.00, free from 100.00), a product with two
variants of 5 units at 30.00, and a buyer with an address and an orders-scoped API client."""

import pytest

from agora.catalog.testing import make_product
from agora.orders.testing import make_address
from agora.shops.testing import make_shop


@pytest.fixture
def market(make_user, api_client):
    seller, buyer = make_user("seller"), make_user("buyer")
    shop = make_shop(seller, shipping_fee="8.00", free_shipping_threshold="100.00")
    product = make_product(shop, price="30.00", stock=5, variants=2)
    address = make_address(buyer)
    client = api_client(buyer, scope="read:orders write:orders")
    return seller, buyer, shop, product, address, client

"""A seller announces one of their products as a post, in one step from the seller centre.

The square reads the product through the catalog's access (its owner only, listed); the post is an
ordinary one made by do_create_status, with a link to the product's page in its text (a link to
one of Agora's own product pages is what posts carrying products turn into a card)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from agora.accounts.models import User
from agora.accounts.serializers import absolute
from agora.catalog.access import access_product
from agora.catalog.models import Product
from agora.core.errors import Invalid
from agora.social.actions import do_create_status
from agora.social.models import Status


def product_url(product: Product) -> str:
    return absolute(f"/market/products/{product.id}")


def announcement_text(product: Product) -> str:
    """The text the seller centre offers, in the seller's language, link included."""
    return _("New in my shop: %(title)s, from ¥%(price)s %(url)s") % {
        "title": product.title,
        "price": product.min_price,
        "url": product_url(product),
    }


def do_announce_product(seller: User, product_id: int, *, text: str, visibility: str = "public") -> Status:
    """Post `text` about the seller's own listed product (403 someone else's, 404 unknown; 422 a
    delisted one). The product's link is added when the text lost it, so the post always leads to
    the product. When posts carry products (do_create_status(product_ids=...), issue 14 point 1),
    pass product_ids=[product.id] below as well."""
    product = access_product(seller, product_id, manage=True)
    if not product.is_listed:
        raise Invalid(_("A delisted product cannot be announced."), code="product_delisted")
    url = product_url(product)
    text = text.strip()
    if url not in text:
        text = f"{text} {url}".strip()
    return do_create_status(seller, text, visibility=visibility)

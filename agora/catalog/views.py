from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from agora.cart.actions import do_add_to_cart
from agora.catalog.access import access_product
from agora.catalog.selectors import SORTS, categories, find_category, listed_products, with_covers
from agora.media.selectors import media_map
from agora.reviews.selectors import review_photo_ids, reviews_of_product
from agora.shops.selectors import top_shops
from agora.web.errors import attempt, page_errors


@page_errors
def market_home(request: HttpRequest) -> HttpResponse:
    category = find_category(request.GET["category"]) if request.GET.get("category") else None
    sort = request.GET.get("sort", "new")
    q = request.GET.get("q", "").strip()
    qs = listed_products(category=category, q=q).order_by(SORTS.get(sort, "-id"), "-id")
    products = with_covers(list(qs[:40]))
    return render(
        request,
        "catalog/market_home.html",
        {
            "products": products,
            "q": q,
            "sort": sort,
            "category": category,
            "categories": categories(top_only=True),
            "shops": top_shops(),
        },
    )


@page_errors
def product_page(request: HttpRequest, product_id: int) -> HttpResponse:
    product = access_product(request.user, product_id)  # type: ignore[arg-type]
    reviews = list(reviews_of_product(product)[:20])
    gallery = review_photo_ids(product)
    # the product's pictures, its review photos and those of the reviews shown: one query
    media = media_map([product.image_ids, [m for _r, m in gallery], *(r.image_ids for r in reviews)])
    for r in reviews:
        r.photos = [media[i] for i in r.image_ids if i in media]  # type: ignore[attr-defined]
    variants = list(product.variants.filter(is_active=True))
    return render(
        request,
        "catalog/product.html",
        {
            "product": product,
            "images": [media[i] for i in product.image_ids if i in media],
            "variants": variants,
            "reviews": reviews,
            "review_photos": [(r, media[m]) for r, m in gallery if m in media],
            "first_available": next((v for v in variants if v.stock > 0), None),
        },
    )


@page_errors
@login_required
@require_POST
def buy_or_add(request: HttpRequest, product_id: int) -> HttpResponse:
    product = access_product(request.user, product_id)  # type: ignore[arg-type]
    try:
        variant_id = int(request.POST.get("variant_id", ""))
        quantity = int(request.POST.get("quantity", "1"))
    except ValueError:
        return redirect("product", product_id=product.id)
    if request.POST.get("action") == "buy":
        return redirect(f"/market/checkout?variant_id={variant_id}&quantity={quantity}")
    if attempt(request, do_add_to_cart, request.user, variant_id, quantity=quantity):
        return redirect("cart")
    return redirect("product", product_id=product.id)

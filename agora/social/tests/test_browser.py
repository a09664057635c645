from agora.social.actions import do_follow
from agora.social.models import Favourite, Status

from .conftest import png_bytes


def test_post_with_image_and_topic_then_follower_likes_it(new_context, active_user, tmp_path, screenshot):
    # given alice and bob, who follows her
    alice, bob = active_user("alice"), active_user("bob")
    do_follow(bob, alice)
    image = tmp_path / "cat.png"
    image.write_bytes(png_bytes((320, 240), (30, 160, 90)))

    # when alice writes a post with a Weibo topic and an image from the home page
    page = new_context(user=alice).new_page()
    page.goto("/")
    page.fill("#compose-text", "今天的猫 #双十一购物节# so cute")
    page.set_input_files("#compose input[type=file]", str(image))
    page.get_by_role("button", name="Post").click()

    # then it appears at the top of her timeline without a reload, with the image and the topic link
    first = page.locator("#timeline .post").first
    first.locator(".grid9 img").wait_for()
    assert "今天的猫" in first.inner_text()
    assert (
        first.locator("a.hashtag").get_attribute("href")
        == "/tags/%E5%8F%8C%E5%8D%81%E4%B8%80%E8%B4%AD%E7%89%A9%E8%8A%82"
    )
    status = Status.objects.get(author=alice)
    assert status.media_links.count() == 1
    screenshot(page, "square-compose")

    # when bob opens his home feed on a phone
    bob_page = new_context(user=bob, viewport={"width": 390, "height": 844}).new_page()
    bob_page.goto("/")
    post = bob_page.locator(f"#post-{status.id}")
    assert post.is_visible() and post.locator(".grid9 img").count() == 1

    # and likes it
    post.locator("button.act--like").click()

    # then the like registers in place, without a page reload
    bob_page.locator(f"#post-{status.id} button.act--like.is-on").wait_for()
    assert bob_page.locator(f"#post-{status.id} .like-count").inner_text() == "1"
    assert Favourite.objects.filter(account=bob, status=status).exists()
    screenshot(bob_page, "square-home-phone")

    # and the topic page lists the post
    bob_page.goto("/tags/双十一购物节")
    assert bob_page.locator(f"#post-{status.id}").is_visible()


def test_share_a_product_then_its_card_on_a_phone(new_context, active_user, screenshot):
    # given a shop with two products (bigger pictures, as sellers upload), alice on a phone
    from agora.catalog.testing import make_product
    from agora.media.actions import do_upload_media
    from agora.shops.testing import make_shop
    from agora.social.actions import do_create_status

    seller, alice = active_user("seller"), active_user("alice")
    shop = make_shop(seller, name="西湖茶庄 Tea House")
    goods = [
        make_product(
            shop,
            title=f"明前龙井 West Lake Longjing green tea, 250 g tin {i}",
            price=f"{129 + i}.00",
            media_ids=[do_upload_media(seller, png_bytes((400, 400), (40 + i * 80, 140, 60))).id],
        )
        for i in range(2)
    ]
    page = new_context(user=alice, viewport={"width": 390, "height": 844}).new_page()
    # when she opens the first product and taps Share
    page.goto(f"/market/products/{goods[0].id}")
    page.locator("#share-product").click()
    # then the compose form has the product attached, and posting shows its card at the top
    page.wait_for_url("**/?product=*")
    assert page.locator(".compose__product").count() == 1
    page.fill("#compose-text", "新茶到了")
    page.get_by_role("button", name="Post").click()
    card = page.locator("#timeline .post").first.locator(".pcard")
    card.wait_for()
    assert "¥129.00" in card.inner_text() and "Tea House" in card.inner_text()
    # and a post with several products scrolls them sideways without widening the page
    do_create_status(alice, "两款都好", product_ids=[g.id for g in goods])
    page.goto("/")
    strip = page.locator(".post__products--strip").first
    strip.wait_for()
    assert strip.locator(".pcard").count() == 2
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    for box in (strip.bounding_box(), page.locator("#compose").bounding_box()):
        assert box is not None and box["x"] + box["width"] <= 390
    screenshot(page, "square-product-cards-phone", full_page=False)
    # and the card links to the product page
    strip.locator(".pcard__link").first.click()
    page.wait_for_url(f"**/market/products/{goods[0].id}")
